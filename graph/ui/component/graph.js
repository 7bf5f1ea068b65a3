// Notes Graph: the neighbourhood graph of the explorer, a Streamlit custom component (v2).
//
// Sent once per page inside the run's messages, as the component's inline script (graph/ui/graphcomponent.py); so is
// vis-network (the file pyvis ships), in the "lib" instance drawn first in the run. Each rerun passes only `data`
// (graph/ui/view.py: nodes, edges, options, legend, title; JSON bytes made once per view on the server, parsed here):
// the network is kept and given the new data. A click on a topic is sent to Python as the trigger "clicked". The
// topics' and lines' tooltips come to another instance, last in the run ({key, lines, tips, nodes}: see TIPS).
// Note text (labels, tooltips, legend names) is only ever put in the page as text (textContent), never as markup.
//
// For tests and benchmarks, window.notesGraph says what is drawn: {network, center, drawnAt, label(id), edgeTip(id),
// nodeTip(id), canvas(), timings: when the last click, view (show) and its steps happened (epoch ms)}; the performance
// marks "notes-graph:module", ":mount", ":lib" (vis-network ready) and ":vis" (the first view may start) time a load.

// Labels smaller than this many pixels on screen are not drawn: unreadable, and they hide each other.
const MIN_LABEL_PX = 8;
const DIM = 0.15;
// Milliseconds the pointer rests on a topic before the rest of the view fades.
const FADE_DELAY = 90;
const views = new WeakMap();
// The view of a component that left the page, kept for the next one: Streamlit remounts the component on some reruns
// (a full rerun after a fragment rerun, e.g. Back), and moving the drawn network over costs nothing, while making a
// new one and drawing it again costs a few hundred milliseconds.
let spare = null;
// vis-network comes in the "lib" instance, drawn first in the run (graphcomponent.py preload: vis-network's own code,
// then LIB_HANDOVER, which settles this promise). Whichever of the two scripts runs first makes the promise.
const LIB = (globalThis.notesGraphLib = globalThis.notesGraphLib || {});
if (!LIB.ready) LIB.ready = new Promise((resolve) => { LIB.settle = resolve; });
performance.mark("notes-graph:module");

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// The topics' and lines' tooltips arrive apart from the view, after the rest of the page (graph/ui/view.py view_tips),
// in a second instance of this component that draws nothing; kept here by view key: {lines: [text], tips: [[index into
// lines] per line of the view], nodes: {node id: [index into lines]}}, for the view shown and a few before it (Back).
const TIPS = new Map();
const KEEP_TIPS = 6;

function keepTips(data) {
  if (!data.key || !Array.isArray(data.tips) || !Array.isArray(data.lines)) return;
  TIPS.delete(data.key); // the newest last, so the oldest goes first
  TIPS.set(data.key, data);
  while (TIPS.size > KEEP_TIPS) TIPS.delete(TIPS.keys().next().value);
}

function tooltip(text) {
  // vis-network shows an element as it is: one holding the text, never parsed as HTML.
  const box = el("div", "ng-tip");
  box.textContent = text;
  return box;
}

function build(parent) {
  const root = el("div", "ng-root");
  const title = el("div", "ng-title");
  const stage = el("div", "ng-stage");
  const canvas = el("div", "ng-canvas");
  const tools = el("div", "ng-tools");
  const buttons = {};
  for (const [name, text, label] of [
    ["fit", "Fit", "Fit the whole view"],
    ["in", "+", "Zoom in"],
    ["out", "\u2212", "Zoom out"],
  ]) {
    const button = el("button", "ng-button", text);
    button.type = "button";
    button.title = label;
    button.setAttribute("aria-label", label);
    tools.appendChild(button);
    buttons[name] = button;
  }
  const legend = el("details", "ng-legend");
  legend.appendChild(el("summary", "", "Legend"));
  const legendBody = el("div", "ng-legend-body");
  legend.appendChild(legendBody);
  // Open on a wide screen, closed on a phone, where it would cover the graph.
  legend.open = (parent.host || parent).getBoundingClientRect().width > 640 || window.innerWidth > 640;
  stage.append(canvas, tools, legend);
  root.append(title, stage);
  parent.appendChild(root);
  return { root, title, stage, canvas, buttons, legend, legendBody };
}

function fillLegend(body, entries, hint) {
  body.replaceChildren();
  for (const entry of entries) {
    const row = el("div", "ng-legend-row");
    const mark = el("span", entry.kind === "line" ? "ng-line" : "ng-swatch ng-" + (entry.shape || "dot"));
    if (entry.kind === "line") {
      const style = entry.dashes === false ? "solid" : entry.dashes[0] <= 2 ? "dotted" : "dashed";
      mark.style.borderTop = `3px ${style} ${entry.color}`;
    } else if (entry.kind === "ring") {
      mark.style.border = `3px solid ${entry.color}`;
      mark.style.background = "transparent";
    } else {
      mark.style.background = entry.color;
    }
    row.append(mark, el("span", "", entry.label));
    row.title = entry.label; // the whole text, where a long row is cut
    body.appendChild(row);
  }
  if (hint) body.appendChild(el("div", "ng-hint", hint));
}

function create(parent, vis) {
  const parts = build(parent);
  // Each view gets new data sets (see show): read them from `view`, never keep them.
  const nodes = new vis.DataSet();
  const edges = new vis.DataSet();
  const network = new vis.Network(parts.canvas, { nodes, edges }, {});
  const view = { ...parts, vis, nodes, edges, network, labels: new Map(), hidden: new Set(), hovered: null,
    original: new Map(), options: null, key: null, center: null, order: [], trigger: null, generation: 0,
    faded: false, home: null };
  // The tooltip of line `e<i>` or of a topic of the view shown, once its tips have arrived.
  const tipText = (tips, line) => (line ? line.map((i) => tips.lines[i]).join("\n") : "");
  view.edgeTip = (id) => {
    const tips = TIPS.get(view.key);
    return tips ? tipText(tips, tips.tips[Number(String(id).slice(1))]) : "";
  };
  view.nodeTip = (id) => {
    const tips = TIPS.get(view.key);
    return tips && tips.nodes && Object.hasOwn(tips.nodes, id) ? tipText(tips, tips.nodes[id]) : "";
  };
  const measure = document.createElement("canvas").getContext("2d");

  // Labels that would overlap a label drawn before them (centre, picked-out topics, then closest first) are hidden;
  // hovering a topic or zooming in shows them.
  view.declutter = () => {
    const scale = network.getScale();
    const positions = network.getPositions();
    const placed = [];
    const hide = new Set();
    const box = parts.canvas.getBoundingClientRect();
    for (const id of view.order) {
      const label = view.labels.get(id);
      const node = view.nodes.get(id);
      if (!label || !node || !positions[id]) continue;
      const size = (node.font && node.font.size) || 13;
      const px = size * scale;
      const at = network.canvasToDOM(positions[id]);
      measure.font = `${size}px sans-serif`;
      const width = measure.measureText(label).width * scale;
      const top = at.y + (node.size || 10) * scale + 2;
      const rect = { left: at.x - width / 2 - 2, right: at.x + width / 2 + 2, top, bottom: top + px * 1.2 };
      const offscreen = rect.right < 0 || rect.left > box.width || rect.bottom < 0 || rect.top > box.height;
      const keep = id === view.center || id === view.hovered || view.neighbours.has(id);
      if (!keep && (px < MIN_LABEL_PX || offscreen ||
          placed.some((r) => r.left < rect.right && rect.left < r.right && r.top < rect.bottom && rect.top < r.bottom))) {
        hide.add(id);
      } else if (!offscreen) {
        placed.push(rect);
      }
    }
    const changes = [];
    for (const id of view.order) {
      const hidden = hide.has(id);
      if (hidden !== view.hidden.has(id)) changes.push({ id, label: hidden ? "" : view.labels.get(id) });
    }
    view.hidden = hide;
    if (changes.length) view.nodes.update(changes);
  };
  view.neighbours = new Set();
  let pending = 0;
  const soon = () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(view.declutter);
  };
  network.on("zoom", soon);
  network.on("dragEnd", soon);
  network.on("resize", soon);

  // Tooltips are made when first hovered: a view has hundreds of them, and most are never read.
  const giveTip = (data, id, text) => {
    const item = data.get(id);
    if (item && !item.title && text) data.update({ id, title: tooltip(text) });
  };
  network.on("hoverEdge", (params) => giveTip(view.edges, params.edge, view.edgeTip(params.edge)));

  // Hover: the topic, its neighbours and their lines stay; everything else fades. Faded once the pointer has rested a
  // moment: restyling every topic and line takes a while in a large view, and a click straight away should not wait.
  let fading = 0;
  const fade = (id) => {
    const near = new Set(network.getConnectedNodes(id));
    near.add(id);
    view.neighbours = near;
    view.nodes.update(view.order.map((n) => ({ id: n, opacity: near.has(n) ? 1 : DIM })));
    const lines = new Set(network.getConnectedEdges(id));
    view.edges.update(view.edges.getIds().map((e) => {
      const colour = view.original.get(e) || {};
      return { id: e, color: { ...colour, opacity: lines.has(e) ? 1 : DIM * (colour.opacity || 1) } };
    }));
    view.faded = true;
    view.declutter();
  };
  network.on("hoverNode", (params) => {
    const id = params.node;
    giveTip(view.nodes, id, view.nodeTip(id));
    view.hovered = id;
    clearTimeout(fading);
    fading = setTimeout(() => fade(id), FADE_DELAY);
  });
  network.on("blurNode", () => {
    clearTimeout(fading);
    view.hovered = null;
    view.neighbours = new Set();
    if (!view.faded) return;
    view.faded = false;
    view.nodes.update(view.order.map((n) => ({ id: n, opacity: 1 })));
    // vis-network merges updates: say the opacity again, or a faded line would stay faded.
    view.edges.update(view.edges.getIds().map((e) => {
      const colour = view.original.get(e) || {};
      return { id: e, color: { ...colour, opacity: colour.opacity === undefined ? 1 : colour.opacity } };
    }));
    view.declutter();
  });
  view.stopFading = () => clearTimeout(fading);
  network.on("click", (params) => {
    mark("click");
    if (params.nodes.length === 1 && params.nodes[0] !== view.center && view.trigger) {
      view.stopFading();
      parts.root.classList.add("ng-busy");
      view.trigger("clicked", params.nodes[0]);
    }
  });

  // The whole view as first drawn, then decluttered. vis-network's fit frames a view differently each time it is asked
  // (its node sizes lag the labels a zoom hid), so the first frame is kept and taken back while no topic was dragged.
  network.on("dragEnd", (params) => { if (params.nodes.length) view.home = null; });
  parts.buttons.fit.addEventListener("click", () => {
    if (view.hidden.size) view.nodes.update([...view.hidden].map((id) => ({ id, label: view.labels.get(id) })));
    view.hidden = new Set();
    if (view.home) network.moveTo({ ...view.home, animation: false });
    else network.fit({ animation: false });
    soon();
  });
  parts.buttons.in.addEventListener("click", () => { network.moveTo({ scale: network.getScale() * 1.4 }); soon(); });
  parts.buttons.out.addEventListener("click", () => { network.moveTo({ scale: network.getScale() / 1.4 }); soon(); });
  return view;
}

function mark(name) {
  const g = (window.notesGraph = window.notesGraph || {});
  (g.timings = g.timings || {})[name] = Date.now();
}

function show(view, data) {
  mark("show");
  const { network } = view;
  view.root.classList.remove("ng-busy");
  if (data.key && data.key === view.key) return false; // the same view again: nothing to draw
  view.key = data.key;
  view.center = data.center;
  view.title.textContent = data.highlight ? `${data.title} \u00b7 ${data.highlight}` : data.title;
  view.stage.style.height = `${data.height}px`;
  fillLegend(view.legendBody, data.legend || [], data.hint);

  const list = data.nodes.map((node) => ({ ...node })); // vis-network's data sets keep and change what they are given
  const picked = list.filter((n) => n.borderWidth >= 6).map((n) => n.id);
  view.order = [...new Set([data.center, ...picked, ...list.map((n) => n.id)])];
  view.labels = new Map(list.map((n) => [n.id, n.label || ""]));
  view.hidden = new Set();
  view.hovered = null;
  view.neighbours = new Set();
  view.faded = false;
  view.stopFading();
  const lines = data.edges.map((e, i) => ({ ...e, id: `e${i}` }));
  view.original = new Map(lines.map((e) => [e.id, e.color || {}]));
  // Options are the same from view to view, and setting them makes vis-network process every node and edge again.
  const options = JSON.stringify(data.options || {});
  if (options !== view.options) {
    network.setOptions(data.options || {});
    view.options = options;
  }
  mark("prepared");
  // New data sets given in one go: vis-network rebuilds once, where emptying the old ones and filling them again made
  // it rework the view four times (a 300-topic view: about a third less time).
  view.nodes = new view.vis.DataSet(list);
  view.edges = new view.vis.DataSet(lines);
  network.setData({ nodes: view.nodes, edges: view.edges });
  mark("added");
  network.fit({ animation: false });
  view.home = { position: network.getViewPosition(), scale: network.getScale() };
  view.declutter();
  mark("decluttered");
  network.once("afterDrawing", () => {
    window.notesGraph.drawnAt = Date.now();
    window.notesGraph.center = view.center;
  });
  network.redraw();
  return true;
}

const decoder = new TextDecoder();

// The data of a run: JSON bytes (graph/ui/view.py packed), or what Streamlit made of a dict.
function unpack(data) {
  return data instanceof Uint8Array ? JSON.parse(decoder.decode(data)) : data;
}

export default async function (component) {
  performance.mark("notes-graph:mount");
  const { parentElement, setTriggerValue } = component;
  const data = unpack(component.data);
  if (data && data.tips) {
    keepTips(data);
    return undefined;
  }
  if (!data || !data.nodes) return undefined;
  let view = views.get(parentElement);
  if (!view && spare) {
    view = spare;
    spare = null;
    parentElement.appendChild(view.root);
    views.set(parentElement, view);
  }
  if (!view) {
    const vis = await LIB.ready;
    performance.mark("notes-graph:vis");
    view = views.get(parentElement); // another run may have made it while vis loaded
    if (!view) {
      view = create(parentElement, vis);
      views.set(parentElement, view);
    }
  }
  view.trigger = setTriggerValue;
  const generation = ++view.generation;
  window.notesGraph = Object.assign(window.notesGraph || {}, {
    network: view.network,
    label: (id) => view.labels.get(id),
    edgeTip: (id) => view.edgeTip(id),
    nodeTip: (id) => view.nodeTip(id),
    canvas: () => view.canvas.querySelector("canvas"),
  });
  show(view, data);
  // Called when the component leaves the page; an older run's clean-up does nothing once a newer run drew. The view is
  // kept aside for the next component (see `spare`); the one kept before it is let go.
  return () => {
    if (view.generation !== generation) return;
    views.delete(parentElement);
    view.root.remove();
    if (spare && spare !== view) spare.network.destroy();
    spare = view;
  };
}
