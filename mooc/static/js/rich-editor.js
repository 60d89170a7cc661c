// The rich-text editor (mooc.core.editor): Tiptap/ProseMirror as shipped prebuilt by
// django-prose-editor, started on every <textarea data-rich-editor>. Only what the
// server's nh3 policy keeps is offered; pasted Word or web HTML is parsed into this
// schema, so its styles, fonts and embedded data: images never reach the textarea.
// Without JavaScript the textarea stays, holding HTML.
import {
  Blockquote, Bold, BulletList, Document, Dropcursor, Gapcursor, HardBreak, Heading,
  History, HorizontalRule, Image, Italic, Link, ListItem, Menu, OrderedList, Paragraph,
  Table, TableCell, TableHeader, TableRow, Text, Underline, Subscript, Superscript,
  createTextareaEditor,
} from "../django_prose_editor/editor.js";

const EXTENSIONS = [
  Document, Paragraph, Text, HardBreak, History, Dropcursor, Gapcursor, Menu,
  Bold, Italic, Underline, Subscript, Superscript,
  Heading.configure({ levels: [2, 3, 4] }),
  BulletList, OrderedList, ListItem, Blockquote, HorizontalRule,
  Link.configure({ openOnClick: false }),
  Table, TableRow, TableHeader, TableCell,
  Image,
];

function csrfToken(field) {
  const form = field.closest("form");
  const input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

function say(field, text) {
  const status = field.querySelector(".rich-text-status");
  if (status) status.textContent = text;
}

// "Insert image": a file and its alternative text, posted to the upload view, which
// checks and re-encodes the picture and answers with its URL on this site.
function addImageControl(field, textarea, editor) {
  const url = textarea.dataset.imageUploadUrl;
  if (!url) return;
  const labels = field.dataset;
  const id = textarea.id + "_image";
  const open = document.createElement("button");
  open.type = "button";
  open.className = "button rich-text-image-open";
  open.textContent = labels.labelImage;
  open.setAttribute("aria-expanded", "false");
  open.setAttribute("aria-controls", id);

  const panel = document.createElement("div");
  panel.className = "rich-text-image";
  panel.id = id;
  panel.hidden = true;
  panel.innerHTML =
    '<div><label for="' + id + '_file"></label><input type="file" id="' + id +
    '_file" accept="image/jpeg,image/png,image/webp,image/gif"></div>' +
    '<div><label for="' + id + '_alt"></label><input type="text" id="' + id +
    '_alt" maxlength="200"></div>' +
    '<div><button type="button" class="button default rich-text-image-upload"></button> ' +
    '<button type="button" class="button rich-text-image-cancel"></button></div>' +
    '<p class="rich-text-error" role="alert"></p>';
  panel.querySelector("label[for$=_file]").textContent = labels.labelFile;
  panel.querySelector("label[for$=_alt]").textContent = labels.labelAlt;
  panel.querySelector(".rich-text-image-upload").textContent = labels.labelUpload;
  panel.querySelector(".rich-text-image-cancel").textContent = labels.labelCancel;
  const fileInput = panel.querySelector("input[type=file]");
  const altInput = panel.querySelector("input[type=text]");
  const error = panel.querySelector(".rich-text-error");

  function close() {
    panel.hidden = true;
    open.setAttribute("aria-expanded", "false");
    fileInput.value = "";
    altInput.value = "";
    error.textContent = "";
    open.focus();
  }
  open.addEventListener("click", () => {
    panel.hidden = false;
    open.setAttribute("aria-expanded", "true");
    fileInput.focus();
  });
  panel.querySelector(".rich-text-image-cancel").addEventListener("click", close);
  panel.querySelector(".rich-text-image-upload").addEventListener("click", async () => {
    error.textContent = "";
    if (!fileInput.files.length) {
      fileInput.focus();
      return;
    }
    const body = new FormData();
    body.append("image", fileInput.files[0]);
    say(field, labels.labelUploading);
    let data = {};
    try {
      const response = await fetch(url, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(field), "X-Requested-With": "XMLHttpRequest" },
      });
      data = await response.json().catch(() => ({}));
      if (!response.ok || !data.url) throw new Error(data.error || labels.labelFailed);
    } catch (problem) {
      error.textContent = problem.message || labels.labelFailed;
      say(field, error.textContent);
      return;
    }
    editor.chain().focus().setImage({ src: data.url, alt: altInput.value.trim() }).run();
    say(field, labels.labelInserted);
    panel.hidden = true;
    open.setAttribute("aria-expanded", "false");
    fileInput.value = "";
    altInput.value = "";
  });
  textarea.closest(".rich-text-field").append(open, panel);
}

function start(textarea) {
  if (textarea.dataset.richEditorStarted) return;
  textarea.dataset.richEditorStarted = "1";
  const field = textarea.closest(".rich-text-field") || textarea.parentElement;
  const editor = createTextareaEditor(textarea, EXTENSIONS);
  // The editable area is a contenteditable div: give it the field's name for screen readers.
  const editable = field.querySelector("[contenteditable]");
  const label = textarea.id && document.querySelector('label[for="' + textarea.id + '"]');
  if (editable) {
    editable.setAttribute("role", "textbox");
    editable.setAttribute("aria-multiline", "true");
    if (label) {
      if (!label.id) label.id = textarea.id + "_label";
      editable.setAttribute("aria-labelledby", label.id);
    }
    const hint = document.getElementById(textarea.id + "_hint");
    if (hint) editable.setAttribute("aria-describedby", hint.id);
  }
  addImageControl(field, textarea, editor);
}

function startAll(root) {
  root.querySelectorAll("textarea[data-rich-editor]").forEach((textarea) => {
    // The admin's empty inline template (__prefix__) is started when it is copied.
    if (!textarea.name.includes("__prefix__")) start(textarea);
  });
}

startAll(document);
document.addEventListener("formset:added", (event) => startAll(event.target));
