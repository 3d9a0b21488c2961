// A form that came back with errors: the banner above it names each field to fix (its label, and the
// job or group it belongs to) as a link to it, and the first of those fields gets the focus, so a
// reader using the keyboard or a screen reader starts where the first fix is. Plain ES module.

const banner = document.querySelector("[data-form-errors]");
const list = banner && banner.querySelector(".form-error-links");
const form = banner && banner.parentElement.querySelector("form");

/** The control to focus for one invalid field or group. */
function controlOf(box) {
  return box.querySelector("input:not([type=hidden]), select, textarea");
}

/** The words that name an invalid field: its label or legend, after its group's title if it has one. */
function nameOf(box) {
  const own = box.querySelector("label, legend");
  const text = own ? own.textContent.trim() : "";
  const row = box.closest(".career-row");
  const title = row && row.querySelector(".career-title");
  return title ? `${title.textContent.trim()} · ${text}` : text;
}

if (form && list) {
  const boxes = [...form.querySelectorAll(".field-invalid")].filter((box) => controlOf(box));
  for (const box of boxes) {
    const control = controlOf(box);
    const link = document.createElement("a");
    link.href = `#${control.id}`;
    link.textContent = nameOf(box);
    link.addEventListener("click", (event) => {
      event.preventDefault();
      control.focus();
    });
    const item = document.createElement("li");
    item.append(link);
    list.append(item);
  }
  if (boxes.length) controlOf(boxes[0]).focus();
}
