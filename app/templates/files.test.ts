import { loadTemplate, TEMPLATES_DIR } from "./files";

describe("template files", () => {
  it("reads a model of the templates folder", () => {
    expect(loadTemplate("avenant")).toContain("avenant");
  });

  it("a model the folder lacks is refused in French, naming the file and the folder", () => {
    expect(() => loadTemplate("absent-du-dossier")).toThrow(`Modèle introuvable : ${TEMPLATES_DIR}/absent-du-dossier.tpl`);
    expect(() => loadTemplate("absent-du-dossier")).toThrow(expect.objectContaining({ code: "ENOENT" }));
  });

  it("a name that is not a plain model name is refused before any read", () => {
    expect(() => loadTemplate("../package")).toThrow("Nom de modèle invalide");
  });
});
