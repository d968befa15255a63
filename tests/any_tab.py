"""What a person does the same way on every tab, for the random-action tests (importable as ``any_tab``)."""

from __future__ import annotations


def do_on_any_tab(panel, qapp, kind: str, *args) -> bool:
    """Step (``args[0]`` times), Play then Pause, One epoch, Reset, Undo or Redo, through the paths the controls
    take; False, and nothing done, for any other kind."""
    if kind == "step":
        for _ in range(args[0]):
            panel.step()
    elif kind == "play":
        panel.toggle_play()
        qapp.processEvents()
        panel.runner.pause()
    elif kind == "epoch":
        panel.one_epoch()
    elif kind == "reset":
        panel.reset()
    elif kind == "undo":
        panel.undo_stack.undo()
    elif kind == "redo":
        panel.undo_stack.redo()
    else:
        return False
    return True
