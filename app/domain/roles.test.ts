import { navigationFor } from "./roles";

const hrefs = (roles: Parameters<typeof navigationFor>[0]) => navigationFor(roles, { devMailbox: false }).map((i) => i.href);

describe("the navigation derived from the roles", () => {
  it("gives the administrator « Données ouvertes » (the data.gouv.fr uploads) next to the other admin pages", () => {
    const items = navigationFor(["administrateur"], { devMailbox: false });
    expect(items).toContainEqual({ text: "Données ouvertes", href: "/admin/donnees" });
    expect(items.map((i) => i.href)).toEqual(expect.arrayContaining(["/admin/organisations", "/admin/personnes", "/admin/cbcm"]));
  });

  it("keeps the admin pages from everyone else", () => {
    for (const roles of [null, ["redacteur"], ["signataire"], ["cbcm"], ["redacteur", "signataire"]] as const) {
      expect(hrefs(roles).filter((h) => h.startsWith("/admin/"))).toEqual([]);
    }
  });

  it("gives an anonymous visitor « Vérifier un document » only", () => {
    expect(hrefs(null)).toEqual(["/verifier"]);
  });
});
