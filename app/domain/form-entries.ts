// Nested form parsing: flat form entries named like « delegataires[0].alias[1] » -> nested data.
//
// Field names come from the network: a name such as `constructor.prototype.bcc` once reached
// Object.prototype through a hand-written parser and copied every e-mail to an attacker. So the
// grammar is strict (letters, digits and `_` keys; bounded decimal indices; bounded depth and
// count), `__proto__`, `prototype` and `constructor` are refused as segments, and every object
// built here has a null prototype: nothing written through it can reach a shared prototype.

export const FORM_ENTRY_LIMITS = {
  /** Entries in one submission (the largest drafting form has a few thousand). */
  entries: 20_000,
  /** Segments in one name: `financement.chorus.activites[0].code` has 5. */
  depth: 8,
  /** Largest list index: a name like `steps[4294967294]` would otherwise make a huge sparse array. */
  index: 999,
  nameLength: 200,
};

const KEY = /^[A-Za-z][A-Za-z0-9_]*$/;
const FORBIDDEN = new Set(["__proto__", "prototype", "constructor"]);

/** A submission whose field names do not follow the form's grammar (tampered or forged). */
export class FormShapeError extends Error {
  readonly code = "form-shape";
  constructor(readonly field: string, reason: string) {
    super(`Le formulaire envoyé contient un champ non reconnu (« ${field.slice(0, 80)} ») : ${reason}. Rechargez la page et recommencez.`);
    this.name = "FormShapeError";
  }
}

export const isFormShapeError = (e: unknown): e is FormShapeError =>
  typeof e === "object" && e !== null && (e as { code?: unknown }).code === "form-shape";

type Segment = string | number;

/** Splits `a.b[0].c` into ["a", "b", 0, "c"]; throws FormShapeError on anything else. */
export function parseFieldName(name: string): Segment[] {
  if (name.length === 0 || name.length > FORM_ENTRY_LIMITS.nameLength) throw new FormShapeError(name, "nom de champ vide ou trop long");
  const segments: Segment[] = [];
  let pos = 0;
  while (pos < name.length) {
    if (name[pos] === "[") {
      const close = name.indexOf("]", pos);
      const digits = close < 0 ? "" : name.slice(pos + 1, close);
      if (!/^(0|[1-9][0-9]{0,5})$/.test(digits)) throw new FormShapeError(name, "indice de liste invalide");
      const index = Number(digits);
      if (index > FORM_ENTRY_LIMITS.index) throw new FormShapeError(name, `indice de liste supérieur à ${FORM_ENTRY_LIMITS.index}`);
      if (segments.length === 0) throw new FormShapeError(name, "indice sans nom de liste");
      segments.push(index);
      pos = close + 1;
    } else {
      if (segments.length > 0) {
        if (name[pos] !== ".") throw new FormShapeError(name, "syntaxe de nom invalide");
        pos++;
      }
      let end = pos;
      while (end < name.length && name[end] !== "." && name[end] !== "[") end++;
      const key = name.slice(pos, end);
      if (FORBIDDEN.has(key)) throw new FormShapeError(name, "segment interdit");
      if (!KEY.test(key)) throw new FormShapeError(name, "syntaxe de nom invalide");
      segments.push(key);
      pos = end;
    }
    if (segments.length > FORM_ENTRY_LIMITS.depth) throw new FormShapeError(name, "nom trop profond");
  }
  return segments;
}

type Container = Record<string, unknown> | unknown[];

/**
 * Rebuilds a nested object from flat form entries, so a plain <Form method="post"> can be
 * validated with a zod schema on the server. Objects have a null prototype; a repeated name keeps
 * its last value; a name used both as a value and as a container is refused.
 */
export function fromFormEntries(entries: Iterable<[string, unknown]>): Record<string, unknown> {
  const root = Object.create(null) as Record<string, unknown>;
  let count = 0;
  for (const [name, value] of entries) {
    if (++count > FORM_ENTRY_LIMITS.entries) throw new FormShapeError(name, "trop de champs");
    const segments = parseFieldName(name);
    let cur: Container = root;
    for (let i = 0; i < segments.length; i++) {
      const key = segments[i];
      const slot = cur as Record<string | number, unknown>;
      const existing = Object.prototype.hasOwnProperty.call(cur, key) ? slot[key] : undefined;
      if (i === segments.length - 1) {
        if (existing !== undefined && typeof existing === "object" && existing !== null) throw new FormShapeError(name, "champ déjà utilisé comme groupe");
        slot[key] = value;
        break;
      }
      const wantArray = typeof segments[i + 1] === "number";
      if (existing === undefined) {
        const child: Container = wantArray ? [] : (Object.create(null) as Record<string, unknown>);
        slot[key] = child;
        cur = child;
      } else if (wantArray ? Array.isArray(existing) : isNullProtoObject(existing)) {
        cur = existing as Container;
      } else {
        throw new FormShapeError(name, "champ utilisé avec deux formes");
      }
    }
  }
  return root;
}

const isNullProtoObject = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === null;
