// Notes Graph: the tooltips of the graph's lines, a Streamlit custom component (v2) that draws nothing.
//
// A view's line tooltips are most of its size, so the app sends them apart from the view and after the rest of the
// page (graph/ui/view.py: edge_tips): the graph is drawn without waiting for them. They are kept here by view key
// for graph.js, which turns one into a tooltip (as text, never markup) when its line is first hovered.

const TIPS = (globalThis.notesGraphTips = globalThis.notesGraphTips || new Map());
// Views whose tips are kept: the one shown and a few before it (Back).
const KEEP = 6;

export default function (component) {
  const { data } = component;
  if (!data || !data.key || !Array.isArray(data.tips) || !Array.isArray(data.lines)) return undefined;
  TIPS.delete(data.key); // the newest last, so the oldest goes first
  TIPS.set(data.key, data);
  while (TIPS.size > KEEP) TIPS.delete(TIPS.keys().next().value);
  return undefined;
}
