// Marking areas to withhold on an item's pages (evidence_redact.html). Progressive
// enhancement: the form's "Areas to cover" field is the record (one area a line: page, left,
// top, width, height, as percentages of the page); drawing a box adds a line, and the boxes are
// drawn again from the field whenever it changes, so deleting a line removes its box. Without
// this script the field is typed by hand.
const field = document.getElementById("id_areas");
const canvases = Array.from(document.querySelectorAll(".fh-redact-canvas[data-page]"));

const round = (value, up) => {
  const scaled = value * 10;
  return (up ? Math.ceil(scaled) : Math.floor(scaled)) / 10;
};

function parse(text) {
  const areas = [];
  for (const line of text.split("\n")) {
    const numbers = line.replace(/[,%]/g, " ").trim().split(/\s+/).map(Number);
    if (numbers.length === 5 && numbers.every((n) => Number.isFinite(n))) {
      const [page, left, top, width, height] = numbers;
      areas.push({ page, left, top, width, height });
    }
  }
  return areas;
}

function place(box, area) {
  box.style.left = `${area.left}%`;
  box.style.top = `${area.top}%`;
  box.style.width = `${area.width}%`;
  box.style.height = `${area.height}%`;
}

function draw() {
  const areas = parse(field.value);
  for (const canvas of canvases) {
    canvas.querySelectorAll(".fh-redact-box").forEach((box) => box.remove());
    const page = Number(canvas.dataset.page);
    for (const area of areas.filter((a) => a.page === page)) {
      const box = document.createElement("div");
      box.className = "fh-redact-box";
      place(box, area);
      canvas.appendChild(box);
    }
  }
}

function percent(canvas, event) {
  const rect = canvas.getBoundingClientRect();
  const x = Math.min(Math.max(event.clientX - rect.left, 0), rect.width);
  const y = Math.min(Math.max(event.clientY - rect.top, 0), rect.height);
  return { x: (x / rect.width) * 100, y: (y / rect.height) * 100 };
}

if (field) {
  for (const canvas of canvases) {
    let start = null;
    let box = null;
    const area = (event) => {
      const end = percent(canvas, event);
      const left = round(Math.min(start.x, end.x), false);
      const top = round(Math.min(start.y, end.y), false);
      return {
        left,
        top,
        width: Math.min(round(Math.max(start.x, end.x), true) - left, 100 - left),
        height: Math.min(round(Math.max(start.y, end.y), true) - top, 100 - top),
      };
    };
    canvas.addEventListener("pointerdown", (event) => {
      start = percent(canvas, event);
      box = document.createElement("div");
      box.className = "fh-redact-box";
      canvas.appendChild(box);
      canvas.setPointerCapture(event.pointerId);
      event.preventDefault();
    });
    canvas.addEventListener("pointermove", (event) => {
      if (start) {
        place(box, area(event));
      }
    });
    canvas.addEventListener("pointerup", (event) => {
      if (!start) {
        return;
      }
      const { left, top, width, height } = area(event);
      start = null;
      if (width >= 0.5 && height >= 0.5) {
        const line = `${canvas.dataset.page} ${left} ${top} ${Number(width.toFixed(1))} ${Number(height.toFixed(1))}`;
        field.value = field.value.trim() ? `${field.value.trim()}\n${line}` : line;
      }
      draw();
    });
  }
  field.addEventListener("input", draw);
  draw();
}
