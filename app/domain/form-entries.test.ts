import fc from "fast-check";
import { FORM_ENTRY_LIMITS, fromFormEntries, isFormShapeError, parseFieldName } from "./form-entries";

/** Keys an attack would add to Object.prototype or Array.prototype. */
const prototypeKeys = () => [...Object.getOwnPropertyNames(Object.prototype), ...Object.getOwnPropertyNames(Array.prototype)].sort();
const before = prototypeKeys();

afterEach(() => {
  expect(prototypeKeys()).toEqual(before);
  expect(({} as Record<string, unknown>).bcc).toBeUndefined();
  expect(([] as unknown as Record<string, unknown>).bcc).toBeUndefined();
});

const HOSTILE = [
  "constructor.prototype.bcc",
  "__proto__.bcc",
  "__proto__[bcc]",
  "steps[0].__proto__.bcc",
  "steps[0].constructor.prototype.bcc",
  "articles[0].constructor[prototype][bcc]",
  "prototype.bcc",
  "a[__proto__]",
  "a[constructor]",
  "a.b[1e3]",
  "a[-1]",
  "a[01]",
  "a[4294967294]",
  "a[1000]",
  "a[]",
  "a..b",
  ".a",
  "a.",
  "[0]",
  "a[0",
  "a]0[",
  "a b",
  "a.b.c.d.e.f.g.h.i",
  "é",
  "",
  "x".repeat(300),
];

describe("fromFormEntries (nested form fields)", () => {
  it("runs, like the server, without the __proto__ accessor (--disable-proto=delete)", () => {
    expect(Object.getOwnPropertyDescriptor(Object.prototype, "__proto__")).toBeUndefined();
  });

  it("builds nested data from the drafting form's field names", () => {
    const out = fromFormEntries([
      ["financement.uo", "0310-SGAL-SSIC"],
      ["financement.echeancier[0].annee", "2024"],
      ["financement.echeancier[1].ae", "10"],
      ["delegataires[0].alias[1]", "le délégataire"],
      ["steps[2].members[0].personId", "p"],
      ["titre", "a"],
      ["titre", "b"],
    ]);
    expect(JSON.parse(JSON.stringify(out))).toEqual({
      financement: { uo: "0310-SGAL-SSIC", echeancier: [{ annee: "2024" }, { ae: "10" }] },
      delegataires: [{ alias: [null, "le délégataire"] }],
      steps: [null, null, { members: [{ personId: "p" }] }],
      titre: "b",
    });
  });

  it("builds only objects without a prototype", () => {
    const out = fromFormEntries([["a.b[0].c", "x"]]) as any;
    expect(Object.getPrototypeOf(out)).toBeNull();
    expect(Object.getPrototypeOf(out.a)).toBeNull();
    expect(Object.getPrototypeOf(out.a.b[0])).toBeNull();
    expect(out.toString).toBeUndefined();
    // An inherited name is just data here.
    expect((fromFormEntries([["toString", "x"]]) as any).toString).toBe("x");
  });

  it.each(HOSTILE)("refuses the field name %j with a French reason", (name) => {
    let error: unknown;
    try {
      fromFormEntries([["ok", "1"], [name, "attaquant@evil.example"]]);
    } catch (e) {
      error = e;
    }
    expect(isFormShapeError(error)).toBe(true);
    expect((error as Error).message).toMatch(/^Le formulaire envoyé contient un champ non reconnu/);
  });

  it("refuses a name used both as a value and as a group, in either order", () => {
    expect(() => fromFormEntries([["a", "1"], ["a.b", "2"]])).toThrow(/deux formes|groupe/);
    expect(() => fromFormEntries([["a.b", "2"], ["a", "1"]])).toThrow(/groupe/);
    expect(() => fromFormEntries([["a[0]", "1"], ["a.b", "2"]])).toThrow(/deux formes/);
  });

  it("bounds the number of entries", () => {
    const many = Array.from({ length: FORM_ENTRY_LIMITS.entries + 1 }, (_, i) => [`f${i}`, "x"] as [string, string]);
    expect(() => fromFormEntries(many)).toThrow(/trop de champs/);
  });

  it("property: random and hostile names never reach a prototype; accepted names round-trip", () => {
    const segment = fc.oneof(
      fc.constantFrom("__proto__", "constructor", "prototype", "toString", "valueOf", "hasOwnProperty", "bcc", "steps", "0", "length"),
      fc.string({ maxLength: 6 }),
      fc.nat({ max: 5000 }).map(String),
    );
    const joiner = fc.constantFrom(".", "[", "]", "", "[]");
    const name = fc.array(fc.tuple(segment, joiner), { minLength: 1, maxLength: 6 }).map((parts) => parts.map(([s, j]) => s + j).join(""));
    fc.assert(
      fc.property(fc.array(fc.tuple(name, fc.string({ maxLength: 8 })), { maxLength: 12 }), (entries) => {
        try {
          const out = fromFormEntries(entries);
          // Whatever was accepted reads back at its path.
          for (const [n, v] of entries) {
            const last = entries.filter(([m]) => m === n).pop()![1];
            let cur: any = out;
            for (const s of parseFieldName(n)) cur = cur[s];
            expect(cur).toBe(last);
            expect(v).toBeTypeOf("string");
          }
        } catch (e) {
          if (!isFormShapeError(e)) throw e;
        }
        expect(prototypeKeys()).toEqual(before);
        expect(({} as any).bcc).toBeUndefined();
      }),
      { numRuns: 3000 },
    );
  });
});
