// Notes Graph: the sidebar's upload control, a Streamlit custom component (v2).
//
// Files (or a folder) chosen here are read in the browser and sent to Python in ONE message, the trigger "files":
// Streamlit's own uploader sends each file in a request of its own and redraws its whole list after each, so the wait
// grew with the square of the count (1,000 files: six minutes). The limits come from Python (graph/sources/notes.py,
// passed by graph/ui/uploadcomponent.py as `data.limits`) and are applied before anything is sent; a file kept back is
// sent by name and size only, so that Python says why in the build summary, in the same words as for any upload.
//
// The message: {files: [[name, "t", text] | [name, "b", base64], ...], withheld: [[name, size], ...]}. A file that is
// valid UTF-8 goes as text (its bytes come back exactly in Python, and JSON costs little more than the bytes); any
// other goes as base64, so Python reads the very bytes chosen (a .zip, a Windows-1252 note, a binary renamed .md).
// File names are only ever put in the page as text (textContent).
//
// For tests and benchmarks the inputs are data-testid "ngUploadFiles" / "ngUploadFolder", the status line
// "ngUploadStatus".

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const parts = new WeakMap();

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function megabytes(bytes) {
  return bytes < 100 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1048576).toFixed(1)} MB`;
}

function count(n, what) {
  return `${n.toLocaleString("en")} ${what}${n === 1 ? "" : "s"}`;
}

function base64(bytes) {
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(text);
}

// One file as an entry of the message, and the bytes it adds to the message: the smaller of text and base64.
function encode(name, buffer) {
  const bytes = new Uint8Array(buffer);
  const quoted = JSON.stringify(name).length + 8;
  const packed = 4 * Math.ceil(bytes.length / 3);
  try {
    const text = utf8.decode(bytes);
    // JSON escapes quotes, backslashes and control characters: the text grows by what escaping adds.
    const grown = bytes.length + JSON.stringify(text).length - 2 - text.length;
    if (grown <= packed) return { entry: [name, "t", text], size: quoted + grown };
  } catch {
    // not UTF-8: sent as its bytes
  }
  return { entry: [name, "b", base64(bytes)], size: quoted + packed };
}

function endsWithAny(name, suffixes) {
  const lower = name.toLowerCase();
  return suffixes.some((suffix) => lower.endsWith(suffix));
}

// Which chosen files to read and which to keep back, by name and size alone (graph/sources/notes.py upload_refusal
// says the same in Python). From a folder, only notes are taken, as the folder box reads a folder: other and hidden
// files are left out without a word.
function sort(chosen, limits, fromFolder) {
  const take = [];
  const withheld = [];
  let total = 0;
  for (const file of chosen) {
    const name = (fromFolder && file.webkitRelativePath) || file.name;
    const archive = endsWithAny(name, limits.archives);
    const note = endsWithAny(name, limits.notes);
    if (fromFolder && (!note || name.split("/").some((part) => part.startsWith(".")))) continue;
    if (!note && !archive) {
      withheld.push([name, file.size]);
    } else if (file.size > (archive ? limits.maxArchiveBytes : limits.maxFileBytes)) {
      withheld.push([name, file.size]);
    } else if (take.length + withheld.length >= limits.maxFiles || total + file.size > limits.maxTotalBytes) {
      withheld.push([name, file.size]);
    } else {
      total += file.size;
      take.push({ name, file });
    }
  }
  return { take, withheld };
}

async function send(view, chosen, fromFolder) {
  const { limits } = view;
  const files = Array.from(chosen);
  if (fromFolder) files.sort((a, b) => (a.webkitRelativePath < b.webkitRelativePath ? -1 : 1));
  const { take, withheld } = sort(files, limits, fromFolder);
  if (!take.length && !withheld.length) {
    say(view, fromFolder ? `No notes in that folder (${limits.notes.join(", ")} files).` : "No files chosen.");
    return;
  }
  view.root.classList.add("nu-busy");
  view.pending = Infinity; // reading: no run of the page may put back the old status
  say(view, `Reading ${count(take.length, "file")}…`);
  const buffers = await Promise.all(take.map(({ file }) => file.arrayBuffer().catch(() => null)));
  const message = { files: [], withheld };
  // The message may not pass the size the server takes from the browser in one go (server.maxWidgetStateSize).
  let size = JSON.stringify(withheld).length + 40;
  let bytes = 0;
  take.forEach(({ name, file }, i) => {
    const found = buffers[i] && encode(name, buffers[i]);
    if (!found || size + found.size > limits.maxMessageBytes) {
      withheld.push([name, file.size]);
      size += JSON.stringify(name).length + 16;
      return;
    }
    message.files.push(found.entry);
    size += found.size;
    bytes += file.size;
  });
  view.pending = view.received + 1;
  say(view, `Sending ${count(message.files.length, "file")} (${megabytes(bytes)})…`);
  view.trigger("files", message);
}

function say(view, text) {
  view.status.textContent = text;
}

// What Python holds (data.chosen): shown after a send, and on a page drawn anew.
function showChosen(view, chosen) {
  view.root.classList.remove("nu-busy");
  if (!chosen || !chosen.files) {
    say(view, "");
    return;
  }
  let text = `${count(chosen.files, "file")} chosen (${megabytes(chosen.bytes)})`;
  if (chosen.withheld) text += `, ${chosen.withheld.toLocaleString("en")} kept back (see the build summary)`;
  say(view, `${text}: press Build.`);
}

function build(parent, limits) {
  const root = el("div", "nu-root");
  const box = el("div", "nu-box");
  const inputs = {};
  const accept = [...limits.notes, ...limits.archives].join(",");
  for (const [kind, text, label] of [
    ["Files", "Choose files", "Choose note files (.md, .markdown, .txt) or a .zip of them"],
    ["Folder", "Choose a folder", "Choose a folder: every note in it and its subfolders"],
  ]) {
    const input = el("input", "nu-input");
    input.type = "file";
    input.multiple = true;
    input.dataset.testid = `ngUpload${kind}`;
    if (kind === "Folder") input.webkitdirectory = true;
    else input.accept = accept;
    const button = el("button", "nu-button", text);
    button.type = "button";
    button.title = label;
    button.addEventListener("click", () => input.click());
    box.append(button, input);
    inputs[kind] = input;
  }
  box.append(el("span", "nu-hint", "or drop notes here"));
  const status = el("div", "nu-status");
  status.setAttribute("role", "status");
  status.dataset.testid = "ngUploadStatus";
  root.append(box, status);
  parent.appendChild(root);
  const view = { root, status, limits, trigger: null, received: 0, pending: 0, generation: 0 };
  const chosen = (input, fromFolder) => () => {
    if (input.files.length) send(view, input.files, fromFolder).finally(() => (input.value = ""));
  };
  inputs.Files.addEventListener("change", chosen(inputs.Files, false));
  inputs.Folder.addEventListener("change", chosen(inputs.Folder, true));
  box.addEventListener("dragover", (event) => {
    event.preventDefault();
    box.classList.add("nu-over");
  });
  box.addEventListener("dragleave", () => box.classList.remove("nu-over"));
  box.addEventListener("drop", (event) => {
    event.preventDefault();
    box.classList.remove("nu-over");
    if (event.dataTransfer && event.dataTransfer.files.length) send(view, event.dataTransfer.files, false);
  });
  return view;
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  if (!data || !data.limits) return undefined;
  let view = parts.get(parentElement);
  if (!view) {
    view = build(parentElement, data.limits);
    parts.set(parentElement, view);
  }
  view.limits = data.limits;
  view.trigger = setTriggerValue;
  view.received = data.received || 0;
  // Sending: the status says so until Python has the files (its count of messages received goes up).
  if (view.received >= view.pending) {
    view.pending = 0;
    showChosen(view, data.chosen);
  }
  const generation = ++view.generation;
  // Called when the component leaves the page; an older run's clean-up does nothing once a newer run drew.
  return () => {
    if (view.generation !== generation) return;
    parts.delete(parentElement);
    view.root.remove();
  };
}
