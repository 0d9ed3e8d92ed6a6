/* A searchable unit picker over <select data-unit-picker> (single or multiple); an ES module,
 * no bundler. The <select> stays in the form and holds what is submitted (without this script
 * it works as it is); this module hides it and shows a combobox (the ARIA 1.2 pattern) whose
 * list keeps the select's <optgroup>s (zhili/orgs/pickers.py) and is filtered by what is
 * typed: characters of the unit's name, its parent's or its group's (a township's name finds
 * its villages), or their pinyin, initials or full (each option's and group's data-search).
 * Several words must all be found ("白塔埠 夏沟", "btb xg").
 *
 * Keyboard: ↓ / ↑ move (↓ opens), Home / End, Enter picks, Esc closes and restores, Tab
 * leaves. A multiple picker toggles what is picked and shows the picks as chips, each with a
 * remove button; Backspace in the empty box removes the last. A pick dispatches "change" on
 * the <select>. Content that HTMX swaps in is enhanced on "htmx:load".
 */

const SELECTOR = "select[data-unit-picker]";
let pickers = 0;

function element(tag, attrs = {}, text = "") {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    node.setAttribute(name, value);
  }
  if (text) {
    node.textContent = text;
  }
  return node;
}

function labelOf(select) {
  const label = select.closest("label");
  const own = select.getAttribute("aria-label");
  if (own) {
    return own;
  }
  const span = label ? label.querySelector("span") : null;
  return span ? span.textContent.replace(/[*（(].*$/, "").trim() : "单位";
}

class UnitPicker {
  constructor(select) {
    this.select = select;
    this.multiple = select.multiple;
    this.id = `unit-picker-${++pickers}`;
    this.entries = [];
    this.active = -1;
    this.build();
    this.sync();
  }

  build() {
    const select = this.select;
    const name = labelOf(select);
    this.root = element("div", { class: "unit-picker", "data-testid": `${select.dataset.testid || select.name}-picker` });
    if (this.multiple) {
      this.chips = element("div", { class: "unit-picker-chips", "data-testid": "unit-picker-chips" });
      this.root.append(this.chips);
    }
    const blank = [...select.options].find((o) => !o.value);
    this.input = element("input", {
      type: "text",
      class: "unit-picker-input",
      role: "combobox",
      "aria-autocomplete": "list",
      "aria-expanded": "false",
      "aria-controls": `${this.id}-list`,
      "aria-label": name,
      autocomplete: "off",
      spellcheck: "false",
      placeholder: this.multiple
        ? "输入名称、乡镇或拼音首字母，回车添加"
        : `${blank ? blank.text : "请选择"}（可输入名称或拼音搜索）`,
      "data-testid": "unit-picker-input",
    });
    this.list = element("div", {
      id: `${this.id}-list`,
      class: "unit-picker-list",
      role: "listbox",
      "aria-label": name,
      "data-testid": "unit-picker-list",
    });
    if (this.multiple) {
      this.list.setAttribute("aria-multiselectable", "true");
    }
    this.list.hidden = true;
    this.status = element("div", { class: "visually-hidden", role: "status" });
    this.empty = element("div", { class: "unit-picker-empty muted" }, "没有匹配的单位");
    this.empty.hidden = true;
    this.fill();
    this.list.append(this.empty);
    this.root.append(this.input, this.list, this.status);
    select.before(this.root);
    select.hidden = true;
    select.setAttribute("aria-hidden", "true");
    select.tabIndex = -1;
    select.dataset.enhanced = "true";
    this.listen();
  }

  fill() {
    let group = null;
    let groupNode = null;
    for (const option of this.select.options) {
      if (!option.value) {
        continue;
      }
      const parent = option.parentElement.tagName === "OPTGROUP" ? option.parentElement : null;
      if (parent !== group) {
        group = parent;
        groupNode = this.list;
        if (parent) {
          const labelId = `${this.id}-g${this.list.children.length}`;
          groupNode = element("div", { role: "group", "aria-labelledby": labelId, class: "unit-picker-group" });
          groupNode.append(element("div", { id: labelId, class: "unit-picker-group-label", role: "presentation" }, parent.label));
          this.list.append(groupNode);
        }
      }
      const index = this.entries.length;
      const node = element("div", {
        id: `${this.id}-o${index}`,
        role: "option",
        class: "unit-picker-option",
        "aria-selected": "false",
        "data-value": option.value,
      }, option.text);
      groupNode.append(node);
      const hay = [option.text, parent ? parent.label : "", option.dataset.search || "", parent ? parent.dataset.search || "" : ""];
      this.entries.push({ option, node, group: groupNode, hay: hay.join(" ").toLowerCase() });
    }
  }

  listen() {
    this.input.addEventListener("focus", () => {
      if (!this.multiple) {
        this.input.select();
      }
    });
    this.input.addEventListener("click", () => this.open(""));
    this.input.addEventListener("input", () => this.open(this.input.value));
    this.input.addEventListener("keydown", (event) => this.key(event));
    this.input.addEventListener("blur", () => {
      // A click on an option keeps the focus (mousedown below): a blur is leaving. An emptied
      // box empties a single choice; other typed text that was not picked is dropped.
      this.close();
      if (!this.multiple && !this.input.value.trim() && this.select.value) {
        this.clear();
      }
      this.sync();
    });
    this.list.addEventListener("mousedown", (event) => event.preventDefault());
    this.list.addEventListener("click", (event) => {
      event.preventDefault(); // inside a <label>: no second click on the input
      const node = event.target.closest("[role=option]");
      if (node) {
        this.pick(this.entries.findIndex((e) => e.node === node));
      }
    });
    if (this.chips) {
      this.chips.addEventListener("click", (event) => {
        const button = event.target.closest("button[data-value]");
        if (button) {
          event.preventDefault();
          this.toggle(button.dataset.value, false);
          this.input.focus();
        }
      });
    }
  }

  key(event) {
    const openList = !this.list.hidden;
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        if (!openList) {
          this.open(this.multiple ? this.input.value : "");
        } else {
          this.move(1);
        }
        break;
      case "ArrowUp":
        event.preventDefault();
        if (openList) {
          this.move(-1);
        }
        break;
      case "Home":
      case "End":
        if (openList) {
          event.preventDefault();
          const visible = this.visible();
          this.activate(event.key === "Home" ? visible[0] : visible[visible.length - 1]);
        }
        break;
      case "Enter":
        if (openList) {
          event.preventDefault(); // never submits the form while choosing
          if (this.active >= 0) {
            this.pick(this.active);
          } else if (!this.multiple && !this.input.value.trim()) {
            this.clear();
          }
        }
        break;
      case "Escape":
        if (openList) {
          event.preventDefault();
          event.stopPropagation();
          this.close();
          this.sync();
        }
        break;
      case "Backspace":
        if (this.multiple && !this.input.value) {
          const chosen = [...this.select.selectedOptions];
          if (chosen.length) {
            this.toggle(chosen[chosen.length - 1].value, false);
          }
        }
        break;
      default:
    }
  }

  open(query) {
    const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
    let count = 0;
    const groups = new Map();
    for (const entry of this.entries) {
      const shown = terms.every((t) => entry.hay.includes(t));
      entry.node.hidden = !shown;
      count += shown ? 1 : 0;
      groups.set(entry.group, (groups.get(entry.group) || false) || shown);
    }
    for (const [group, shown] of groups) {
      if (group !== this.list) {
        group.hidden = !shown;
      }
    }
    this.empty.hidden = count > 0;
    this.list.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
    this.status.textContent = terms.length ? `找到 ${count} 个单位` : `共 ${count} 个单位`;
    // Typed text makes its first match active; else the current choice is, or nothing (Enter
    // on an untouched list chooses nothing for the user).
    const visible = this.visible();
    const current = this.multiple ? undefined : visible.find((i) => this.entries[i].option.selected);
    this.activate(terms.length ? visible[0] : current);
  }

  close() {
    this.list.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
    this.active = -1;
  }

  visible() {
    return this.entries.flatMap((e, i) => (e.node.hidden ? [] : [i]));
  }

  move(step) {
    const visible = this.visible();
    if (!visible.length) {
      return;
    }
    const at = visible.indexOf(this.active);
    const next = at < 0 ? (step > 0 ? 0 : visible.length - 1) : Math.min(Math.max(at + step, 0), visible.length - 1);
    this.activate(visible[next]);
  }

  activate(index) {
    if (this.active >= 0) {
      this.entries[this.active].node.classList.remove("is-active");
    }
    this.active = index === undefined ? -1 : index;
    if (this.active < 0) {
      this.input.removeAttribute("aria-activedescendant");
      return;
    }
    const node = this.entries[this.active].node;
    node.classList.add("is-active");
    this.input.setAttribute("aria-activedescendant", node.id);
    node.scrollIntoView({ block: "nearest" });
  }

  pick(index) {
    if (index < 0) {
      return;
    }
    const entry = this.entries[index];
    if (this.multiple) {
      this.toggle(entry.option.value, !entry.option.selected);
      this.activate(index);
      return;
    }
    this.select.value = entry.option.value;
    this.changed();
    this.close();
    this.input.select(); // typing again starts a new search
  }

  toggle(value, on) {
    const entry = this.entries.find((e) => e.option.value === value);
    if (entry) {
      entry.option.selected = on;
      this.changed();
    }
  }

  clear() {
    this.select.value = "";
    this.changed();
    this.close();
  }

  changed() {
    this.select.dispatchEvent(new Event("change", { bubbles: true }));
    this.sync();
  }

  sync() {
    for (const entry of this.entries) {
      entry.node.setAttribute("aria-selected", entry.option.selected ? "true" : "false");
    }
    if (!this.multiple) {
      const chosen = this.select.selectedOptions[0];
      this.input.value = chosen && chosen.value ? chosen.text : "";
      return;
    }
    this.input.value = this.list.hidden ? "" : this.input.value;
    this.chips.replaceChildren(
      ...[...this.select.selectedOptions].map((option) => {
        const chip = element("span", { class: "chip", "data-testid": `chip-${option.value}` }, option.text);
        chip.append(element("button", { type: "button", "data-value": option.value, "aria-label": `移除${option.text}` }, "×"));
        return chip;
      }),
    );
  }
}

export function enhance(root) {
  const scope = root && root.querySelectorAll ? root : document;
  const selects = scope.matches && scope.matches(SELECTOR) ? [scope] : scope.querySelectorAll(SELECTOR);
  for (const select of selects) {
    if (select.dataset.enhanced !== "true") {
      new UnitPicker(select);
    }
  }
}

enhance(document);
document.addEventListener("htmx:load", (event) => enhance(event.target));
