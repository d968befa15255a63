"""Text beside the point under the mouse on a point editor: whatever the tab has to say about that point.

The tab gives a function of the point's index that returns the text (or None
to say nothing); :meth:`PointHover.refresh` asks it again for the same point,
when what the text depends on has changed (the model trained on).  The text
sits on a background box, above the points.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QPointF

from .boxed_text import boxed_text
from .point_editor import PointEditor


class PointHover(QObject):
    def __init__(self, editor: PointEditor, describe: Callable[[int], str | None], parent: QObject | None = None):
        super().__init__(parent)
        self.editor = editor
        self._describe = describe
        self.index: int | None = None
        self.text = boxed_text(editor, anchor=(0.0, 1.15))
        self.text.setVisible(False)
        editor.scene().sigMouseMoved.connect(self._on_scene_mouse_moved)

    def _on_scene_mouse_moved(self, scene_pos: QPointF) -> None:
        index = self.editor.view_box.point_at(scene_pos)
        if index != self.index:
            self.index = index
            self.refresh()
            self.editor.repaint_frame()

    def refresh(self) -> None:
        """Describe the point under the mouse again (or hide the text: no point, or nothing to say)."""
        index = self.index
        words = None
        if index is not None and index < len(self.editor.points):
            words = self._describe(index)
        self.text.setVisible(words is not None)
        if words is not None:
            self.text.setText(words)
            self.text.setPos(*self.editor.points[index])

    def clear(self) -> None:
        self.index = None
        self.text.setVisible(False)
