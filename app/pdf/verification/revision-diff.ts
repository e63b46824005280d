// What a later revision changes in what a viewer shows, compared with a signed revision.
//
// Both revisions are resolved through their own xref chains (pdf-resolve.ts), then walked in
// parallel from the trailer and the catalog down: pages, content streams (decoded bytes),
// resources, fonts, XObjects, annotations and their appearance streams, AcroForm, names,
// outlines, actions, metadata. Objects are paired by the path that reaches them, not by their
// number; names and strings are compared by value (`/X#52ef` = `/XRef`, `(fr\055FR)` = `(fr-FR)`),
// dictionaries without regard to key order. Every difference is refused unless it is one of the
// changes pyHanko's difference analysis allows (pyhanko/sign/diff_analysis: StandardDiffPolicy
// with its default rules), narrowed to what PAdES signing and LTA updates need:
//   - SigFieldModificationRule: a signature field empty at signing may be filled: its /V (an
//     indirect signature dictionary) and its widget's /AP; a field already signed, or still
//     unsigned, must not change at all (so no appearance swapped after signing, no fake
//     appearance on an empty field, no overlay emptied); FormUpdatingRule: AcroForm /SigFlags.
//   - SigFieldCreationRule, narrowed: a new field may only be an invisible (zero-area or hidden)
//     signature field holding a /DocTimeStamp, added at the end of /Fields and of a page's /Annots.
//     No other field or annotation may appear, none may disappear.
//   - DSSCompareRule: /DSS with /Certs /CRLs /OCSPs (arrays of streams) and /VRI (old entries kept,
//     new keys 40 hex digits, entries /Cert /CRL /OCSP /TS /TU).
//   - CatalogModificationRule (ROOT_EXEMPT_STRICT_COMPARISON narrowed to /AcroForm, /DSS,
//     /Extensions, /Metadata): /Extensions holding ADBE/ESIC developer extensions;
//     MetadataUpdateRule: /Metadata replaced by an XML metadata stream.
//   - DocInfoRule, narrowed: the Info dictionary's /ModDate and /Producer only.
//   - reject_object_freeing: an object in use at signing may not be freed afterwards.
// As in pyHanko these apply to every revision after a signature (a second signer, pyHanko
// included, updates /Info and /Extensions in its own revision).
import { Dict, Name, PdfStructureError, Ref, Str, strBytes, type Obj, type Revision } from "./pdf-resolve";

/** Objects (reference pairs and dictionaries) visited per comparison. */
const MAX_STEPS = 1_000_000;
const MAX_ERRORS = 20;

const ROOT_SPECIAL = new Set(["AcroForm", "DSS", "Extensions", "Metadata"]);
const DSS_KEYS = new Set(["Type", "VRI", "Certs", "CRLs", "OCSPs"]);
const VRI_ENTRY_KEYS = new Set(["Type", "TU", "TS", "Cert", "CRL", "OCSP"]);
const EXTENSION_KEYS = new Set(["Type", "BaseVersion", "ExtensionLevel", "ExtensionRevision", "URL"]);
const INFO_UPDATABLE = new Set(["ModDate", "Producer"]);

const present = (o: Obj | undefined): boolean => o !== undefined && o !== null;

/** Differences between signed revision `a` and later revision `b` that are not allowed (French). */
export function disallowedChanges(a: Revision, b: Revision): string[] {
  const d = new Differ(a, b);
  try {
    d.run();
  } catch (e) {
    if (!(e instanceof PdfStructureError)) throw e;
    d.errors.push(`révision illisible: ${e.message}`);
  }
  return d.errors;
}

class Differ {
  readonly errors: string[] = [];
  private readonly seen = new Set<string>();
  private readonly queue: [Obj, Obj, string][] = [];
  private steps = 0;
  /** Refs (in b) of the fields and widgets a may gain: invisible document timestamps. */
  private readonly newFields = new Map<number, string | undefined>();
  private readonly newWidgets = new Set<number>();

  constructor(
    readonly a: Revision,
    readonly b: Revision,
  ) {}

  private fail(path: string, what: string) {
    if (this.errors.length < MAX_ERRORS) this.errors.push(`${path} : ${what}`);
  }

  run(): void {
    const { a, b } = this;
    const ra = a.trailer.get("Root") as Ref;
    const rb = b.trailer.get("Root") as Ref;
    if (ra.num !== rb.num || ra.gen !== rb.gen) this.fail("/Root", "catalogue remplacé");
    this.seen.add(`${ra.num}.${ra.gen}/${rb.num}.${rb.gen}`);
    for (const [num, e] of a.xref) {
      const eb = b.entry(num);
      if (num !== 0 && e.t !== 0 && eb?.t === 0) this.fail(`objet ${num}`, "objet libéré après la signature");
    }
    this.info();
    this.planNewFields();
    this.catalog();
    this.drain();
  }

  private drain() {
    for (let item = this.queue.pop(); item; item = this.queue.pop()) {
      const [x, y, path] = item;
      let rx: Obj | undefined;
      let ry: Obj | undefined;
      try {
        rx = this.a.resolve(x);
        ry = this.b.resolve(y);
      } catch (e) {
        if (!(e instanceof PdfStructureError)) throw e;
        this.fail(path, `objet illisible (${e.message})`);
        continue;
      }
      this.value(rx, ry, path);
    }
  }

  /** Compares x (in a) with y (in b); reference pairs are queued once. */
  private cmp(x: Obj | undefined, y: Obj | undefined, path: string) {
    if (x instanceof Ref && y instanceof Ref) {
      if (++this.steps > MAX_STEPS) throw new PdfStructureError("document trop complexe pour être comparé", "limits");
      const key = `${x.num}.${x.gen}/${y.num}.${y.gen}`;
      if (this.seen.has(key)) return;
      this.seen.add(key);
      this.queue.push([x, y, path]);
      return;
    }
    try {
      this.value(x instanceof Ref ? this.a.resolve(x) : x, y instanceof Ref ? this.b.resolve(y) : y, path);
    } catch (e) {
      if (!(e instanceof PdfStructureError)) throw e;
      this.fail(path, `objet illisible (${e.message})`);
    }
  }

  private value(x: Obj | undefined, y: Obj | undefined, path: string) {
    if (x === y && !(x instanceof Dict) && !Array.isArray(x)) return;
    // The same parsed array of plain values (a font's /W…): nothing can resolve differently.
    if (x === y && Array.isArray(x) && x.every((e) => !(e instanceof Ref) && !(e instanceof Dict) && !Array.isArray(e))) return;
    if (!present(x) || !present(y)) {
      if (present(x) !== present(y)) this.fail(path, present(x) ? "retiré" : "ajouté");
      return;
    }
    if (typeof x === "number" || typeof x === "boolean") {
      if (x !== y) this.fail(path, "valeur modifiée");
    } else if (x instanceof Name) {
      if (!(y instanceof Name) || x.v !== y.v) this.fail(path, "nom modifié");
    } else if (x instanceof Str) {
      if (!(y instanceof Str) || !strBytes(x).equals(strBytes(y))) this.fail(path, "texte modifié");
    } else if (Array.isArray(x)) {
      if (!Array.isArray(y) || x.length !== y.length) this.fail(path, "tableau modifié");
      else for (let i = 0; i < x.length; i++) this.cmp(x[i], y[i], `${path}[${i}]`);
    } else if (x instanceof Dict) {
      if (!(y instanceof Dict)) this.fail(path, "dictionnaire remplacé");
      else this.dict(x, y, path);
    } else this.fail(path, "objet modifié");
  }

  /** The field dict of a signature field or widget (x itself or its /Parent), in revision r. */
  private sigField(r: Revision, d: Dict): Dict | undefined {
    if (r.name(d.get("FT")) === "Sig") return d;
    const parent = r.dict(d.get("Parent"));
    return parent && r.name(parent.get("FT")) === "Sig" ? parent : undefined;
  }

  private dict(x: Dict, y: Dict, path: string) {
    const { a, b } = this;
    if (++this.steps > MAX_STEPS) throw new PdfStructureError("document trop complexe pour être comparé", "limits");
    let ignore: Set<string> | undefined;
    const fa = this.sigField(a, x);
    if (fa) {
      // SigFieldModificationRule: filling a field that was empty at signing.
      const fb = fa === x ? y : b.dict(y.get("Parent"));
      if (!present(fa.get("V")) && fb && present(fb.get("V"))) {
        // The new value must be a signature dictionary: the verifier then checks it like any
        // other signature (a junk /V would otherwise let a fake appearance through).
        const v = fb.get("V");
        const sig = v instanceof Ref ? b.dict(v) : undefined;
        if (!sig || !present(sig.get("ByteRange")) || !present(sig.get("Contents")))
          this.fail(path, "champ rempli sans dictionnaire de signature indirect");
        ignore = new Set(["V", "AP"]);
      }
    }
    const type = a.name(x.get("Type"));
    if (type === "Pages" && a.resolve(x.get("Count")) !== b.resolve(y.get("Count"))) this.fail(path, "nombre de pages modifié");
    const stream = x.streamAt !== undefined || y.streamAt !== undefined;
    const keys = new Set([...x.map.keys(), ...y.map.keys()]);
    for (const k of keys) {
      if (ignore?.has(k)) continue;
      if (stream && (k === "Length" || k === "Filter" || k === "DecodeParms")) continue;
      if (k === "Annots" && type === "Page") this.annots(x.get(k), y.get(k), `${path}/Annots`);
      else this.cmp(x.get(k), y.get(k), `${path}/${k}`);
    }
    if (stream) this.stream(x, y, path);
  }

  private stream(x: Dict, y: Dict, path: string) {
    if (x.streamAt === undefined || y.streamAt === undefined) return this.fail(path, "flux remplacé");
    let ra: Buffer;
    let rb: Buffer;
    try {
      ra = this.a.rawStream(x);
      rb = this.b.rawStream(y);
    } catch (e) {
      if (!(e instanceof PdfStructureError)) throw e;
      return this.fail(path, `flux illisible (${e.message})`);
    }
    if (x.streamAt === y.streamAt && ra.length === rb.length) return; // the same bytes
    const sameCoding = () => {
      const probe = new Differ(this.a, this.b);
      probe.cmp(x.get("Filter"), y.get("Filter"), "");
      probe.cmp(x.get("DecodeParms"), y.get("DecodeParms"), "");
      probe.drain();
      return probe.errors.length === 0;
    };
    if (ra.equals(rb) && sameCoding()) return;
    try {
      const da = this.a.decodeStream(x, ra, this.a.file.limits.maxStreamBytes);
      const db = this.b.decodeStream(y, rb, this.b.file.limits.maxStreamBytes);
      if (!da.equals(db)) this.fail(path, "contenu du flux modifié");
    } catch (e) {
      if (!(e instanceof PdfStructureError)) throw e;
      this.fail(path, `contenu du flux modifié (${e.message})`);
    }
  }

  /** A page's annotations: the signed ones unchanged and in place, new ones only if planned. */
  private annots(xa: Obj | undefined, ya: Obj | undefined, path: string) {
    const la = this.a.array(xa) ?? [];
    const lb = this.b.array(ya) ?? [];
    if (lb.length < la.length) return this.fail(path, "annotation retirée");
    for (let i = 0; i < la.length; i++) this.cmp(la[i], lb[i], `${path}[${i}]`);
    for (let i = la.length; i < lb.length; i++) {
      const item = lb[i];
      if (!(item instanceof Ref && this.newWidgets.has(item.num))) this.fail(`${path}[${i}]`, "annotation ajoutée après la signature");
    }
  }

  private fieldsArray(r: Revision): Obj[] {
    const acro = r.dict(r.catalog().get("AcroForm"));
    return (acro && r.array(acro.get("Fields"))) ?? [];
  }

  /** New /Fields entries that are invisible document-timestamp fields (else: why refused). */
  private planNewFields() {
    const { b } = this;
    const la = this.fieldsArray(this.a);
    const lb = this.fieldsArray(b);
    for (let i = la.length; i < lb.length; i++) {
      const item = lb[i];
      const why = (() => {
        if (!(item instanceof Ref)) return "champ ajouté non indirect";
        const f = b.dict(item);
        if (!f || b.name(f.get("FT")) !== "Sig") return "champ ajouté après la signature (seul un horodatage de document invisible est admis)";
        const kids = b.array(f.get("Kids"));
        const widgets: Ref[] = [];
        if (kids) {
          for (const k of kids) {
            const w = b.dict(k);
            if (!(k instanceof Ref) || !w || w.has("T")) return "champ ajouté avec des sous-champs";
            widgets.push(k);
          }
        } else widgets.push(item);
        for (const w of widgets) if (this.visible(b.dict(w)!)) return "champ de signature visible ajouté après la signature";
        const v = f.get("V");
        const sig = v instanceof Ref ? b.dict(v) : undefined;
        if (!sig || b.name(sig.get("Type")) !== "DocTimeStamp") return "champ de signature ajouté sans horodatage de document";
        for (const w of widgets) this.newWidgets.add(w.num);
        return undefined;
      })();
      if (item instanceof Ref) this.newFields.set(item.num, why);
      else this.fail(`/Root/AcroForm/Fields[${i}]`, why ?? "champ ajouté");
    }
  }

  /** pyHanko's is_annot_visible (area) plus the Hidden (2) and NoView (32) flags. */
  private visible(w: Dict): boolean {
    const r = this.b.array(w.get("Rect"))?.map((n) => this.b.resolve(n));
    const area = r && r.length === 4 && r.every((n) => typeof n === "number") ? Math.abs(((r[2] as number) - (r[0] as number)) * ((r[3] as number) - (r[1] as number))) : 0;
    const flags = this.b.resolve(w.get("F"));
    const hidden = typeof flags === "number" && (flags & (2 | 32)) !== 0;
    return area > 0 && !hidden;
  }

  private info() {
    const ia = this.a.dict(this.a.trailer.get("Info")) ?? new Dict();
    const ib = this.b.dict(this.b.trailer.get("Info")) ?? new Dict();
    for (const k of new Set([...ia.map.keys(), ...ib.map.keys()]))
      if (!INFO_UPDATABLE.has(k)) this.cmp(ia.get(k), ib.get(k), `/Info/${k}`);
  }

  private catalog() {
    const { a, b } = this;
    const ca = a.catalog();
    const cb = b.catalog();
    for (const k of new Set([...ca.map.keys(), ...cb.map.keys()])) {
      if (!ROOT_SPECIAL.has(k)) this.cmp(ca.get(k), cb.get(k), `/Root/${k}`);
    }
    this.acroForm(ca.get("AcroForm"), cb.get("AcroForm"));
    this.dss(ca.get("DSS"), cb.get("DSS"));
    this.extensions(ca.get("Extensions"), cb.get("Extensions"));
    this.metadata(ca.get("Metadata"), cb.get("Metadata"));
  }

  private acroForm(xa: Obj | undefined, ya: Obj | undefined) {
    const path = "/Root/AcroForm";
    const fa = this.a.dict(xa) ?? new Dict();
    const fb = this.b.dict(ya);
    if (!fb) return present(xa) ? this.fail(path, "formulaire retiré") : undefined;
    for (const k of new Set([...fa.map.keys(), ...fb.map.keys()])) {
      if (k === "Fields") continue;
      if (k === "SigFlags") {
        if (present(fb.get(k)) && typeof this.b.resolve(fb.get(k)) !== "number") this.fail(`${path}/SigFlags`, "valeur invalide");
        continue;
      }
      this.cmp(fa.get(k), fb.get(k), `${path}/${k}`);
    }
    const la = this.fieldsArray(this.a);
    const lb = this.fieldsArray(this.b);
    if (lb.length < la.length) return this.fail(`${path}/Fields`, "champ retiré");
    for (let i = 0; i < la.length; i++) this.cmp(la[i], lb[i], `${path}/Fields[${i}]`);
    for (let i = la.length; i < lb.length; i++) {
      const item = lb[i];
      if (item instanceof Ref && this.newFields.has(item.num)) {
        const why = this.newFields.get(item.num);
        if (why) this.fail(`${path}/Fields[${i}]`, why);
      }
    }
  }

  private streamRefs(r: Revision, o: Obj | undefined, path: string) {
    if (!present(o)) return;
    const arr = r.array(o);
    if (!arr) return this.fail(path, "tableau de flux attendu");
    for (const s of arr) {
      const d = s instanceof Ref ? r.dict(s) : undefined;
      if (!d || d.streamAt === undefined) return this.fail(path, "tableau de flux attendu");
    }
  }

  /** DSSCompareRule: structure checked, earlier VRI entries kept. Its streams are not shown. */
  private dss(xa: Obj | undefined, ya: Obj | undefined) {
    const { a, b } = this;
    const path = "/Root/DSS";
    if (!present(ya)) return present(xa) ? this.fail(path, "données de validation retirées") : undefined;
    const db = b.dict(ya);
    if (!db) return this.fail(path, "dictionnaire attendu");
    for (const k of db.map.keys()) if (!DSS_KEYS.has(k)) this.fail(`${path}/${k}`, "clé inattendue");
    for (const k of ["Certs", "CRLs", "OCSPs"]) this.streamRefs(b, db.get(k), `${path}/${k}`);
    const va = a.dict(a.dict(xa)?.get("VRI")) ?? new Dict();
    const vb = b.dict(db.get("VRI")) ?? new Dict();
    if (present(db.get("VRI")) && !b.dict(db.get("VRI"))) this.fail(`${path}/VRI`, "dictionnaire attendu");
    for (const k of va.map.keys()) this.cmp(va.get(k), vb.get(k), `${path}/VRI/${k}`);
    for (const k of vb.map.keys()) {
      if (va.has(k)) continue;
      if (!/^[A-F0-9]{40}$/.test(k)) {
        this.fail(`${path}/VRI/${k}`, "clé VRI mal formée");
        continue;
      }
      const e = b.dict(vb.get(k));
      if (!e || e.streamAt !== undefined) {
        this.fail(`${path}/VRI/${k}`, "dictionnaire attendu");
        continue;
      }
      for (const ek of e.map.keys()) if (!VRI_ENTRY_KEYS.has(ek)) this.fail(`${path}/VRI/${k}/${ek}`, "clé inattendue");
      for (const ek of ["Cert", "CRL", "OCSP"]) this.streamRefs(b, e.get(ek), `${path}/VRI/${k}/${ek}`);
      const ts = e.get("TS");
      if (present(ts) && !(ts instanceof Ref && b.dict(ts)?.streamAt !== undefined)) this.fail(`${path}/VRI/${k}/TS`, "flux attendu");
    }
  }

  /** Developer extensions ADBE/ESIC only, as direct dictionaries of plain values. */
  private extensions(xa: Obj | undefined, ya: Obj | undefined) {
    const path = "/Root/Extensions";
    if (!present(ya)) return present(xa) ? this.fail(path, "retiré") : undefined;
    const e = this.b.dict(ya);
    if (!e) return this.fail(path, "dictionnaire attendu");
    const plain = (o: Obj | undefined) => typeof o === "number" || o instanceof Name || o instanceof Str;
    for (const [k, v] of e.map) {
      if (k !== "ADBE" && k !== "ESIC") {
        this.fail(`${path}/${k}`, "extension inattendue");
        continue;
      }
      const items = Array.isArray(v) ? v : [v];
      for (const it of items) {
        if (!(it instanceof Dict) || [...it.map].some(([ik, iv]) => !EXTENSION_KEYS.has(ik) || !plain(iv))) this.fail(`${path}/${k}`, "extension mal formée");
      }
    }
  }

  /** MetadataUpdateRule: a replacement must be an XML metadata stream. */
  private metadata(xa: Obj | undefined, ya: Obj | undefined) {
    const path = "/Root/Metadata";
    if (xa instanceof Ref && ya instanceof Ref && xa.num === ya.num && this.a.location(xa.num) === this.b.location(ya.num)) return;
    if (!present(ya)) return present(xa) ? this.fail(path, "retiré") : undefined;
    const m = ya instanceof Ref ? this.b.dict(ya) : undefined;
    if (!m || m.streamAt === undefined || this.b.name(m.get("Type")) !== "Metadata" || this.b.name(m.get("Subtype")) !== "XML")
      return this.fail(path, "flux de métadonnées XML attendu");
    try {
      const text = this.b.streamData(m, 4 * 1024 * 1024).toString("utf8").replace(/^\uFEFF/, "").trimStart();
      if (!text.startsWith("<")) this.fail(path, "métadonnées non XML");
    } catch (e) {
      if (!(e instanceof PdfStructureError)) throw e;
      this.fail(path, `métadonnées illisibles (${e.message})`);
    }
  }
}
