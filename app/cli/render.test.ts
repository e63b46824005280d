import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { renderCommand } from "./render";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "paraphe-cli-render-"));
const text = (file: string) => spawnSync("pdftotext", [file, "-"], { encoding: "utf8" }).stdout.replace(/[\u00a0\u202f]/g, " ").replace(/\s+/g, " ");

describe("paraphe render : avenants et résiliations selon data.modele", () => {
  beforeEach(() => {
    vi.spyOn(console, "log").mockImplementation(() => {});
    vi.spyOn(console, "error").mockImplementation(() => {});
  });
  afterEach(() => vi.restoreAllMocks());

  it("rend l'avenant et la notification des exemples", async () => {
    const av = path.join(dir, "avenant.pdf");
    expect(await renderCommand(["templates/examples/avenant-justice-dinum-2022.json", "-o", av, "--html", path.join(dir, "avenant.html")])).toBe(0);
    expect(text(av)).toContain("Avenant n° 1 à la convention de délégation de gestion");
    expect(fs.readFileSync(path.join(dir, "avenant.html"), "utf8")).toContain("Les autres stipulations de la convention demeurent inchangées.");
    const res = path.join(dir, "resiliation.pdf");
    expect(await renderCommand(["templates/examples/resiliation-justice-dinum-2022.json", "-o", res])).toBe(0);
    expect(text(res)).toContain("Notification de résiliation de la convention de délégation de gestion");
  });

  it("une modification impossible est refusée avec son chemin, rien n'est écrit", async () => {
    const data = JSON.parse(fs.readFileSync("templates/examples/avenant-justice-dinum-2022.json", "utf8"));
    data.operations.push({ type: "supprimer_article", article: 12 });
    const input = path.join(dir, "bad.json");
    fs.writeFileSync(input, JSON.stringify(data));
    const out = path.join(dir, "bad.pdf");
    expect(await renderCommand([input, "-o", out])).toBe(65);
    expect(console.error).toHaveBeenCalledWith("  operations[3].article : L'article 12 n'existe pas dans la version en vigueur de la convention (8 articles)");
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe("paraphe render : chaque exemple de templates/examples/", () => {
  beforeEach(() => {
    vi.spyOn(console, "log").mockImplementation(() => {});
    vi.spyOn(console, "error").mockImplementation(() => {});
  });
  afterEach(() => vi.restoreAllMocks());

  const examples = fs.readdirSync("templates/examples").filter((f) => f.endsWith(".json"));

  it("les exemples comprennent une convention, un avenant, une résiliation et un compte rendu", () => {
    const modeles = new Set(examples.map((f) => JSON.parse(fs.readFileSync(path.join("templates/examples", f), "utf8")).modele));
    for (const m of ["convention", "avenant", "resiliation", "compte-rendu"]) expect(modeles).toContain(m);
  });

  it.each(examples)("%s se rend en PDF", async (file) => {
    const out = path.join(dir, file.replace(/\.json$/, ".pdf"));
    const code = await renderCommand([path.join("templates/examples", file), "-o", out]);
    expect(code, vi.mocked(console.error).mock.calls.map((c) => c.join(" ")).join("\n")).toBe(0);
    expect(fs.readFileSync(out).subarray(0, 5).toString("latin1")).toBe("%PDF-");
  });

  it("le compte rendu d'exécution porte son titre", async () => {
    const out = path.join(dir, "compte-rendu.pdf");
    expect(await renderCommand(["templates/examples/compte-rendu-justice-dinum-2022.json", "-o", out])).toBe(0);
    expect(text(out)).toMatch(/Compte rendu d.exécution/i);
  });
});
