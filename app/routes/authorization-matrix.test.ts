/**
 * The authorization matrix: every route of the server build, GET and every POST intent, asked by
 * each kind of person through the real Remix request handler, over a seeded database and real
 * session cookies. A route (or an intent) missing from the table fails, so each new one gets
 * classified; any answer but the expected one fails, a 500 first of all.
 *
 * It runs against build/index.js, the code `npm start` serves: `npm test` builds before Vitest, and
 * this test builds again (saying so) when the build is missing or older than a source file.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createRequestHandler, type AppLoadContext, type ServerBuild } from "@remix-run/node";
import type { Database } from "../../db/connect";
import { dispatchDueMessages } from "../email/dispatcher.server";
import { createMailTransport } from "../email/transport.server";
import { openSession } from "../models/sessions.server";
import { createBoundedVerifier } from "../pdf/verification/bounded-verifier";
import { DEFAULT_MAX_BYTES } from "../pdf/verification/verify";
import { commitSessionCookie } from "../session.server";
import { launchCircuit } from "../services/launch-circuit.server";
import { tokenHash } from "../services/transmit-act.server";
import { CAMILLE, CANTON, circuitWorld, GIRARD, SCHAER } from "../test-support/circuit";
import { testConfig } from "../test-support/config";
import { createTestDatabase } from "../test-support/db";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const BUILD = path.join(root, "build/index.js");

/** The kinds of person, in the order of every row of the table below. */
const ROLES = [
  ["anonyme", null],
  ["rédactrice d'une partie", CAMILLE],
  ["rédacteur d'une organisation tierce", GIRARD],
  ["signataire d'une partie non invité(e)", "marc.leroy@justice.example"],
  ["signataire invitée, pas à son tour", SCHAER],
  ["administratrice", "sophie.petit@dinum.example"],
  ["destinataire CBCM", "nadia.lefevre@cbcm.example"],
] as const;

/**
 * An expected answer: "200", "404"… ; "302 /path" (a redirect there); "connexion" (the redirect to
 * the sign-in page coming back to the asked path); "200 ~text" (the page says this, e.g. a refusal
 * the person can act on); "200 !text" (the page does not show this: another organisation's act).
 */
type Expected = string;
type Row = [Expected, Expected, Expected, Expected, Expected, Expected, Expected];
/** `dataExpect`: the answers of the page's `.data` navigation when they differ (a label the component prints is not in the loader's data). */
type Cell = { method: "GET" | "POST"; path: string; intent?: string; form?: Record<string, string>; expect: Row; dataExpect?: Row; note?: string };

const all = (x: Expected): Row => [x, x, x, x, x, x, x];
const signedIn = (ok: Expected): Row => ["connexion", ok, ok, ok, ok, ok, ok];
/** Any person of a party organisation (read and sign): the third organisation and the CBCM get 404. */
const party = (ok: Expected): Row => ["connexion", ok, "404", ok, ok, ok, "404"];
/** Rédacteurs of a party (edit): the others' roles never allow it (403), the third organisation gets 404. */
const editor = (ok: Expected): Row => ["connexion", ok, "404", "403", "403", "403", "403"];
const redacteurs = (ok: Expected, third: Expected = ok): Row => ["connexion", ok, third, "403", "403", "403", "403"];
const signataires = (ok: Expected): Row => ["connexion", "403", ok, ok, ok, "403", "403"];
const administratrice = (ok: Expected): Row => ["connexion", "403", "403", "403", "403", ok, "403"];

/** The demo acts' title (all of them Justice → DINUM). */
const SEES = "200 ~Incubateur de la Justice";
const HIDDEN = "200 !Incubateur de la Justice";
const NOT_INVITED = "200 ~invité(e) à signer ce document";
const NOT_YOUR_TURN = "200 ~pas encore votre tour";
const RECIPIENT_UNKNOWN = "200 ~Ce destinataire n'existe pas";
const RANDOM_UUID = "6f1e2d3c-4b5a-4978-8877-665544332211";

/**
 * Conventions: `:demo` the seeded draft (with its first version); `:draft` a draft with its circuit
 * saved; `:signing` in signature, its first step (no person of the table) to act; `:signed` signed
 * and transmitted; `:fresh` a new draft for each request (for a request that changes the draft for
 * good). Tokens: `:ack` and `:download` are valid.
 */
const MATRIX: Record<string, Cell[]> = {
  root: [{ method: "GET", path: "/", expect: all("200") }],
  "routes/_index": [{ method: "GET", path: "/", expect: all("200") }],
  "routes/$": [{ method: "GET", path: "/nulle-part/ici", expect: all("404") }],
  // Lists show the acts of one's own organisation only.
  "routes/tableau-de-bord": [{ method: "GET", path: "/tableau-de-bord", expect: ["connexion", SEES, HIDDEN, SEES, SEES, SEES, HIDDEN] }],
  "routes/alertes": [
    { method: "GET", path: "/alertes", expect: ["connexion", "200", HIDDEN, "200", "200", "200", HIDDEN] },
    { method: "POST", path: "/alertes", expect: signedIn("200") },
  ],
  "routes/a-signer": [{ method: "GET", path: "/a-signer", expect: ["connexion", "403", HIDDEN, HIDDEN, "200", "403", "403"] }],
  "routes/delegations": [
    { method: "GET", path: "/delegations", expect: signataires("200") },
    { method: "POST", path: "/delegations", intent: "", form: { delegateEmail: "" }, expect: signataires("200") },
    { method: "POST", path: "/delegations", intent: "revoquer", form: { delegationId: RANDOM_UUID }, expect: signataires("200") },
    { method: "POST", path: "/delegations", intent: "revoquer", form: { delegationId: "pas-un-id" }, expect: signataires("200"), note: "delegationId mal formé" },
  ],

  // Sign-in and out: open to all; a signed-in person asking for the sign-in page goes to the dashboard.
  "routes/connexion._index": [
    { method: "GET", path: "/connexion", expect: ["200", ...Array<Expected>(6).fill("302 /tableau-de-bord")] as Row },
    // The link is asked for (nothing tells whether the address is known); a signed-in person is then sent on.
    { method: "POST", path: "/connexion", form: { email: "personne.inconnue@exemple.example" }, expect: ["200", ...Array<Expected>(6).fill("302 /tableau-de-bord")] as Row },
  ],
  "routes/connexion.lien": [
    { method: "GET", path: "/connexion/lien?jeton=abc", expect: all("200") },
    { method: "POST", path: "/connexion/lien", form: { jeton: "jeton-inconnu-jeton-inconnu-jeton" }, expect: all("200") },
  ],
  // ProConnect is not configured here: both routes answer 404 to everyone.
  "routes/connexion.proconnect._index": [{ method: "GET", path: "/connexion/proconnect", expect: all("404") }],
  "routes/connexion.proconnect.retour": [{ method: "GET", path: "/connexion/proconnect/retour?code=x&state=y", expect: all("404") }],
  "routes/deconnexion": [
    { method: "GET", path: "/deconnexion", expect: all("302 /") },
    { method: "POST", path: "/deconnexion", expect: all("302 /") },
  ],

  // Conventions.
  "routes/conventions._index": [{ method: "GET", path: "/conventions", expect: redacteurs(SEES, HIDDEN) }],
  "routes/conventions.nouvelle": [
    { method: "GET", path: "/conventions/nouvelle", expect: redacteurs("200") },
    { method: "POST", path: "/conventions/nouvelle", form: { intitule: "" }, expect: redacteurs("200") },
  ],
  "routes/conventions.$id": [
    { method: "GET", path: "/conventions/:draft", expect: party("200") },
    { method: "GET", path: "/conventions/:signing", expect: party("200") },
    { method: "GET", path: "/conventions/:signed", expect: party("200") },
    { method: "GET", path: `/conventions/${RANDOM_UUID}`, expect: signedIn("404"), note: "inconnue" },
    { method: "GET", path: "/conventions/pas-un-identifiant", expect: signedIn("404"), note: "identifiant mal formé" },
  ],
  "routes/conventions.$id_.apercu": [{ method: "GET", path: "/conventions/:draft/apercu", expect: party("200") }],
  // « Actes reçus » (issue 13): only an address of the CBCM directory, and only what was transmitted to it.
  "routes/actes-recus": [
    { method: "GET", path: "/actes-recus", expect: ["connexion", "403", "403", "403", "403", "403", SEES] },
    { method: "POST", path: "/actes-recus", form: { transmissionId: RANDOM_UUID }, expect: ["connexion", "403", "403", "403", "403", "403", "200 ~ne vous a pas été transmis"] },
    { method: "POST", path: "/actes-recus", form: { transmissionId: "pas-un-id" }, expect: ["connexion", "403", "403", "403", "403", "403", "200 ~ne vous a pas été transmis"], note: "transmissionId mal formé" },
  ],
  "routes/actes-recus.$id.$fichier": [
    { method: "GET", path: "/actes-recus/:nadiaTransmission/acte-signe.pdf", expect: ["connexion", "403", "403", "403", "403", "403", "200"] },
    { method: "GET", path: "/actes-recus/:nadiaTransmission/certificat.pdf", expect: ["connexion", "403", "403", "403", "403", "403", "200"] },
    { method: "GET", path: `/actes-recus/${RANDOM_UUID}/acte-signe.pdf`, expect: ["connexion", "403", "403", "403", "403", "403", "404"], note: "transmission inconnue" },
    { method: "GET", path: "/actes-recus/:nadiaTransmission/autre.pdf", expect: ["connexion", "404", "404", "404", "404", "404", "404"], note: "fichier inconnu" },
  ],
  // The signing page's picture of a page (issue 13): as the signing page; a draft has no frozen document; pages are bounded.
  "routes/conventions.$id_.page-signature[.]png": [
    { method: "GET", path: "/conventions/:signing/page-signature.png?page=1", expect: party("200") },
    { method: "GET", path: "/conventions/:signing/page-signature.png?page=99", expect: party("404"), note: "page inexistante" },
    { method: "GET", path: "/conventions/:draft/page-signature.png?page=1", expect: party("404"), note: "rien de figé" },
  ],
  // Footer pages (issue 13): open to everyone.
  "routes/accessibilite": [{ method: "GET", path: "/accessibilite", expect: all("200") }],
  "routes/mentions-legales": [{ method: "GET", path: "/mentions-legales", expect: all("200") }],
  "routes/donnees-personnelles": [{ method: "GET", path: "/donnees-personnelles", expect: all("200") }],
  "routes/gestion-des-cookies": [{ method: "GET", path: "/gestion-des-cookies", expect: all("200") }],
  // « Abandonner ce brouillon » (issue 13): a rédacteur of a party, a draft only (a running act goes back to its page).
  "routes/conventions.$id_.abandonner": [
    { method: "GET", path: "/conventions/:draft/abandonner", expect: editor("200") },
    { method: "GET", path: "/conventions/:signing/abandonner", expect: editor("302 /conventions/:signing") },
    { method: "POST", path: "/conventions/:fresh/abandonner", form: { motif: "Doublon" }, expect: editor("302 /conventions/:fresh?abandonne=1") },
    // Only a draft can be abandoned: an act in signature sends back to its page (the circuit is stopped there first).
    { method: "POST", path: "/conventions/:signing/abandonner", form: { motif: "" }, expect: editor("302 /conventions/:signing") },
  ],
  // A draft's render (marked « PROJET »); once launched, the frozen document or the signed act instead (issue 13).
  "routes/conventions.$id_.document[.]pdf": [
    { method: "GET", path: "/conventions/:draft/document.pdf", expect: party("200") },
    { method: "GET", path: "/conventions/:signing/document.pdf", expect: party("303 /conventions/:signing/a-signer.pdf") },
    { method: "GET", path: "/conventions/:signed/document.pdf", expect: party("303 /conventions/:signed/signe.pdf") },
  ],
  "routes/conventions.$id_.a-signer[.]pdf": [
    { method: "GET", path: "/conventions/:signing/a-signer.pdf", expect: party("200") },
    { method: "GET", path: "/conventions/:draft/a-signer.pdf", expect: party("404"), note: "aucun circuit lancé" },
  ],
  "routes/conventions.$id_.signe[.]pdf": [
    { method: "GET", path: "/conventions/:signed/signe.pdf", expect: party("200") },
    { method: "GET", path: "/conventions/:signing/signe.pdf", expect: party("404"), note: "aucune signature encore" },
  ],
  "routes/conventions.$id_.certificat[.]pdf": [{ method: "GET", path: "/conventions/:signed/certificat.pdf", expect: party("200") }],
  "routes/conventions.$id_.versions": [
    { method: "GET", path: "/conventions/:demo/versions", expect: party("200") },
    // A stale page: the rédactrice gets the message, nothing is restored.
    { method: "POST", path: "/conventions/:demo/versions", form: { version: "1", actuelle: "999" }, expect: editor("200 ~modifié entre-temps") },
    { method: "POST", path: "/conventions/:demo/versions", form: { version: "77", actuelle: "1" }, expect: editor("404"), note: "version inconnue" },
  ],
  "routes/conventions.$id_.modifier": [
    { method: "GET", path: "/conventions/:draft/modifier", expect: editor("200") },
    { method: "GET", path: "/conventions/:signing/modifier", expect: editor("409"), note: "document figé" },
    { method: "POST", path: "/conventions/:draft/modifier", intent: "enregistrer", form: { version: "999", intitule: "Essai" }, expect: editor("200") },
    ...["ajouter:articles", "supprimer:articles:0", "monter:articles:1", "descendre:articles:0"].map(
      (intent): Cell => ({ method: "POST", path: "/conventions/:draft/modifier", intent, form: { version: "1", intitule: "Essai", "articles[0].titre": "Un", "articles[1].titre": "Deux" }, expect: editor("200") }),
    ),
  ],
  // Life after signature (issue 11). Import: rédacteurs only; the upload is multipart (an encoded form is refused, 400).
  "routes/conventions.importer": [
    { method: "GET", path: "/conventions/importer", expect: redacteurs("200") },
    { method: "POST", path: "/conventions/importer", form: { intitule: "" }, expect: redacteurs("400") },
  ],
  // The imported act's page exists for an act imported only.
  "routes/conventions.$id_.importe": [
    { method: "GET", path: "/conventions/:signed/importe", expect: party("404"), note: "acte signé dans le portail" },
    { method: "POST", path: "/conventions/:signed/importe", expect: editor("404"), note: "acte signé dans le portail" },
  ],
  // An avenant or a notice is prepared from a convention in force: a draft is refused with the reason.
  "routes/conventions.$id_.avenant": [
    { method: "GET", path: "/conventions/:signed/avenant", expect: editor("200") },
    { method: "POST", path: "/conventions/:draft/avenant", expect: editor("200 ~Avenant impossible"), note: "convention pas en vigueur" },
  ],
  "routes/conventions.$id_.resiliation": [
    { method: "GET", path: "/conventions/:signed/resiliation", expect: editor("200") },
    { method: "POST", path: "/conventions/:draft/resiliation", expect: editor("200 ~Résiliation impossible"), note: "convention pas en vigueur" },
  ],
  "routes/conventions.$id_.historique": [
    { method: "GET", path: "/conventions/:signed/historique", expect: party("200") },
    { method: "GET", path: "/conventions/:signed/historique?de=0&a=77", expect: party("200"), note: "version inconnue" },
  ],
  "routes/conventions.$id_.consolidee[.]pdf": [
    { method: "GET", path: "/conventions/:signed/consolidee.pdf", expect: party("200") },
    { method: "GET", path: "/conventions/:draft/consolidee.pdf", expect: party("404"), note: "pas encore signée" },
  ],
  "routes/echeances": [{ method: "GET", path: "/echeances", expect: redacteurs("200") }],
  "routes/conventions.$id_.circuit": [
    { method: "GET", path: "/conventions/:draft/circuit", expect: editor("200") },
    { method: "GET", path: "/conventions/:signing/circuit", expect: editor("200") },
    // Without steps the circuit is refused with a message: nothing is saved.
    { method: "POST", path: "/conventions/:draft/circuit", intent: "enregistrer", expect: editor("200") },
    { method: "POST", path: "/conventions/:draft/circuit", intent: "lancer", expect: editor("200") },
    { method: "POST", path: "/conventions/:fresh/circuit", intent: "confirmer-lancement", expect: editor("302 /conventions/:fresh/circuit?lance=1") },
    ...["ajouter-etape:signature", "monter:1", "descendre:0", "supprimer:0", "ajouter-personne:0", "retirer-personne:0:0"].map(
      (intent): Cell => ({
        method: "POST",
        path: "/conventions/:draft/circuit",
        intent,
        form: { "steps[0].kind": "signature", "steps[0].members[0].personId": "", "steps[1].kind": "signature", "steps[1].members[0].personId": "" },
        expect: editor("200"),
      }),
    ),
    { method: "POST", path: "/conventions/:signing/circuit", intent: "renvoyer", form: { memberId: ":cantonMember" }, expect: editor("302 /conventions/:signing/circuit?renvoye=1") },
    { method: "POST", path: "/conventions/:signing/circuit", intent: "renvoyer", form: { memberId: "pas-un-id" }, expect: editor("200 ~pas d'invitation en attente"), note: "memberId mal formé" },
    { method: "POST", path: "/conventions/:signing/circuit", intent: "interrompre", form: { motif: "" }, expect: editor("200") },
  ],
  // Nobody of the table is at their turn on :signing: every circuit action is refused with its reason.
  "routes/conventions.$id_.signer": [
    { method: "GET", path: "/conventions/:signing/signer", expect: party("200") },
    { method: "GET", path: "/conventions/:draft/signer", expect: party("200") },
    ...["code", "signer", "viser", "refuser"].map(
      (intent): Cell => ({
        method: "POST",
        path: "/conventions/:signing/signer",
        intent,
        form: { code: "000000", motif: "Essai de refus" },
        expect: ["connexion", NOT_INVITED, "404", NOT_INVITED, NOT_YOUR_TURN, NOT_INVITED, "404"],
      }),
    ),
  ],
  "routes/conventions.$id_.transmission": [
    { method: "GET", path: "/conventions/:signing/transmission", expect: party("200") },
    { method: "GET", path: "/conventions/:signed/transmission", expect: party("200") },
    // Managing recipients: rédacteurs of a party (the use case refuses the administratrice, who may only re-send).
    { method: "POST", path: "/conventions/:signing/transmission", intent: "ajouter", form: { name: "Service financier", email: "finances@exemple.example" }, expect: ["connexion", "200 ~Destinataire ajouté", "404", "403", "403", "200 ~Seul un rédacteur", "403"] },
    { method: "POST", path: "/conventions/:signing/transmission", intent: "retirer", form: { recipientId: RANDOM_UUID }, expect: ["connexion", "200 ~Destinataire retiré", "404", "403", "403", "200 ~Seul un rédacteur", "403"] },
    { method: "POST", path: "/conventions/:signed/transmission", intent: "renvoyer", form: { transmissionId: RANDOM_UUID }, expect: ["connexion", "200 ~Transmission introuvable", "404", "403", "403", "200 ~Transmission introuvable", "403"] },
    // A forged id is an id that matches nothing, never a 500.
    { method: "POST", path: "/conventions/:signing/transmission", intent: "retirer", form: { recipientId: "pas-un-id" }, expect: ["connexion", RECIPIENT_UNKNOWN, "404", "403", "403", RECIPIENT_UNKNOWN, "403"], note: "recipientId mal formé" },
    { method: "POST", path: "/conventions/:signed/transmission", intent: "renvoyer", form: { transmissionId: "pas-un-id" }, expect: ["connexion", "200 ~Transmission introuvable", "404", "403", "403", "200 ~Transmission introuvable", "403"], note: "transmissionId mal formé" },
  ],

  // Links sent by e-mail to recipients: the token is the only key, whoever follows it.
  "routes/accuse-reception.$token": [
    { method: "GET", path: "/accuse-reception/:ack", expect: all("200") },
    { method: "GET", path: "/accuse-reception/jeton-inconnu-jeton-inconnu-jeton", expect: all("404"), note: "jeton inconnu" },
    { method: "POST", path: "/accuse-reception/:ack", expect: all("200") },
    { method: "POST", path: "/accuse-reception/jeton-inconnu-jeton-inconnu-jeton", expect: all("404"), note: "jeton inconnu" },
  ],
  "routes/telechargement.$token": [
    { method: "GET", path: "/telechargement/:download", expect: all("200") },
    { method: "GET", path: "/telechargement/jeton-inconnu-jeton-inconnu-jeton", expect: all("404"), note: "jeton inconnu" },
  ],
  "routes/telechargement.$token.$fichier": [
    { method: "GET", path: "/telechargement/:download/signe", expect: all("200") },
    { method: "GET", path: "/telechargement/:download/certificat", expect: all("200") },
    { method: "GET", path: "/telechargement/:download/autre", expect: all("404"), note: "fichier inconnu" },
    { method: "GET", path: "/telechargement/jeton-inconnu-jeton-inconnu-jeton/signe", expect: all("404"), note: "jeton inconnu" },
    { method: "GET", path: `/telechargement/:ack/signe`, expect: all("404"), note: "jeton d'accusé de réception" },
  ],
  // Issue 15: the public register and the open data, without account; drafts and acts in signature are not there.
  "routes/registre._index": [
    { method: "GET", path: "/registre", expect: all("200 ~Registre public"), dataExpect: all("200") },
    { method: "GET", path: "/registre?statut=brouillon&annee=abc&page=-1", expect: all("200 ~Filtre ignoré"), dataExpect: all("200") },
  ],
  "routes/registre.$reference": [
    { method: "GET", path: "/registre/:signed", expect: all("200 ~Empreinte SHA-256"), dataExpect: all("200") },
    { method: "GET", path: "/registre/:draft", expect: all("404") },
    { method: "GET", path: "/registre/:signing", expect: all("404") },
    { method: "GET", path: "/registre/reference-inconnue", expect: all("404") },
  ],
  "routes/registre.$reference_.acte-signe[.]pdf": [
    { method: "GET", path: "/registre/:signed/acte-signe.pdf", expect: all("200") },
    { method: "GET", path: "/registre/:signing/acte-signe.pdf", expect: all("404") },
  ],
  "routes/donnees.conventions[.]csv": [{ method: "GET", path: "/donnees/conventions.csv", expect: all("200") }],
  "routes/donnees.conventions[.]json": [{ method: "GET", path: "/donnees/conventions.json", expect: all("200") }],
  "routes/donnees.schema[.]json": [{ method: "GET", path: "/donnees/schema.json", expect: all("200") }],
  "routes/conventions.$id_.publication": [
    { method: "GET", path: "/conventions/:signed/publication", expect: editor("200") },
    { method: "POST", path: "/conventions/:signed/publication", form: { publier: "non", motif: "" }, expect: editor("200 ~Le motif est obligatoire") },
  ],
  "routes/admin.donnees": [{ method: "GET", path: "/admin/donnees", expect: administratrice("200") }],
  "routes/conventions.$id_.depenses": [
    { method: "GET", path: "/conventions/:signed/depenses", expect: party("200 ~Crédits délégués"), dataExpect: party("200") },
    { method: "POST", path: "/conventions/:signed/depenses", form: { montant: "" }, expect: editor("200") },
  ],

  "routes/verifier": [
    { method: "GET", path: "/verifier", expect: all("200") },
    { method: "POST", path: "/verifier", expect: all("400 ~Choisissez un fichier PDF") },
  ],

  // The administration.
  "routes/admin.personnes._index": [{ method: "GET", path: "/admin/personnes", expect: administratrice("200") }],
  "routes/admin.personnes.$id": [
    { method: "GET", path: "/admin/personnes/nouvelle", expect: administratrice("200") },
    { method: "GET", path: "/admin/personnes/:camilleId", expect: administratrice("200") },
    { method: "POST", path: "/admin/personnes/:camilleId", form: { email: "" }, expect: administratrice("200") },
  ],
  "routes/admin.organisations._index": [{ method: "GET", path: "/admin/organisations", expect: administratrice("200") }],
  "routes/admin.organisations.$id": [
    { method: "GET", path: "/admin/organisations/:justiceId", expect: administratrice("200") },
    { method: "POST", path: "/admin/organisations/:justiceId", form: { name: "" }, expect: administratrice("200") },
  ],
  "routes/admin.cbcm._index": [{ method: "GET", path: "/admin/cbcm", expect: administratrice("200") }],
  "routes/admin.cbcm.$id": [
    { method: "GET", path: "/admin/cbcm/nouveau", expect: administratrice("200") },
    { method: "POST", path: "/admin/cbcm/:cbcmId", form: { name: "" }, expect: administratrice("200") },
  ],

  // The development mailbox (on here: no SMTP_URL, loopback PUBLIC_URL): it is not behind a session.
  "routes/dev.boite-mail._index": [{ method: "GET", path: "/dev/boite-mail", expect: all("200") }],
  "routes/dev.boite-mail.$id": [
    { method: "GET", path: "/dev/boite-mail/:messageId", expect: all("200") },
    { method: "GET", path: `/dev/boite-mail/${RANDOM_UUID}`, expect: all("404"), note: "inconnu" },
  ],
  // The test clock: only with PARAPHE_CLOCK_CONTROL=1 (off here), else it does not exist for anyone.
  "routes/dev.horloge": [
    { method: "GET", path: "/dev/horloge", expect: all("404") },
    { method: "POST", path: "/dev/horloge", form: { jours: "1" }, expect: all("404") },
  ],
};

// ---------------------------------------------------------------------------------------------

let build: ServerBuild;
let db: Database;
let close: () => Promise<void>;
const config = testConfig();
let context: AppLoadContext;
let handle: (request: Request) => Promise<Response>;
const people: Record<string, string> = {};
const values: Record<string, string> = {};
const logged: string[] = [];
let freshDraft: () => Promise<string>;

/** The build's age: it must be newer than every source file it is built from. */
function staleness(): string | null {
  if (!existsSync(BUILD)) return `${path.relative(root, BUILD)} est absent`;
  const built = statSync(BUILD).mtimeMs;
  const newer = ["app", "db"].flatMap((dir) =>
    readdirSync(path.join(root, dir), { recursive: true, encoding: "utf8" })
      .map((f) => `${dir}/${f}`)
      .filter((f) => /\.(ts|tsx|mjs)$/.test(f) && !/\.test\.tsx?$/.test(f) && !f.startsWith("app/test-support/"))
      .filter((f) => statSync(path.join(root, f)).mtimeMs > built),
  );
  return newer.length ? `build/index.js est plus ancien que ${newer.slice(0, 3).join(", ")}${newer.length > 3 ? "…" : ""}` : null;
}

/** Builds (loudly) when the build is missing or stale, so the matrix never tests other code than the sources. */
function ensureFreshBuild() {
  const why = staleness();
  if (!why) return;
  console.warn(`\n*** Matrice d'autorisations : ${why} : construction (npm run build)… ***\n`);
  execFileSync(process.execPath, [path.join(root, "scripts/build.mjs")], { cwd: root, stdio: "inherit" });
  const still = staleness();
  if (still) throw new Error(`${still} même après la construction.`);
}

beforeAll(async () => {
  ensureFreshBuild();
  build = (await import(/* @vite-ignore */ pathToFileURL(BUILD).href)) as ServerBuild;
  ({ db, close } = await createTestDatabase());
  const world = await circuitWorld(db, config);
  freshDraft = world.freshDraft;
  const draft = await freshDraft();
  const signing = await freshDraft();
  await launchCircuit(db, world.deps, world.actor(CAMILLE), signing);
  const signed = await world.signedConvention();
  // Added after the circuits were drawn up: a signataire of a party whom no circuit names.
  const justice = await db.selectFrom("organisations").select("id").where("short_name", "=", "MJ SG/SNUM").executeTakeFirstOrThrow();
  await db.insertInto("people").values({ email: "marc.leroy@justice.example", first_name: "Marc", last_name: "Leroy", job_title: "Sous-directeur", organisation_id: justice.id, roles: ["signataire"] }).execute();
  for (const p of await db.selectFrom("people").select(["id", "email"]).execute()) people[p.email] = p.id;

  // The messages so far delivered (captured: no SMTP_URL), so the dev mailbox holds some.
  const transport = createMailTransport({ mailFrom: config.mailFrom });
  while ((await dispatchDueMessages(db, transport, { maxAttempts: 5, retryBaseSeconds: 1, sessionSecret: config.sessionSecret, publicUrl: config.publicUrl })) > 0);

  // Valid recipient links: known tokens on one transmission of the signed act.
  const transmission = await db.selectFrom("transmissions").select("id").where("convention_id", "=", signed).orderBy("created_at").executeTakeFirstOrThrow();
  const ack = "jeton-accuse-reception-de-la-matrice";
  const download = "jeton-telechargement-de-la-matrice";
  await db
    .updateTable("transmissions")
    .set({ ack_token_hash: tokenHash(ack), download_token_hash: tokenHash(download), download_expires_at: new Date(Date.now() + 86_400_000) })
    .where("id", "=", transmission.id)
    .execute();
  const cantonMember = await db
    .selectFrom("step_members")
    .innerJoin("circuit_steps", "circuit_steps.id", "step_members.step_id")
    .select("step_members.id")
    .where("circuit_steps.convention_id", "=", signing)
    .where("step_members.person_id", "=", people[CANTON])
    .executeTakeFirstOrThrow();
  // Invited an hour ago: a re-send is allowed again (one per quarter of an hour).
  await db.updateTable("step_members").set({ invited_at: new Date(Date.now() - 3_600_000) }).where("id", "=", cantonMember.id).execute();
  const message = await db.selectFrom("dev_mailbox_messages").select("id").orderBy("created_at").executeTakeFirstOrThrow();
  const demo = await db.selectFrom("conventions").select("id").where("title", "=", "Convention de délégation de gestion — Incubateur de la Justice (2022)").executeTakeFirstOrThrow();
  Object.assign(values, {
    demo: demo.id,
    draft,
    signing,
    signed,
    ack,
    download,
    cantonMember: cantonMember.id,
    messageId: message.id,
    camilleId: people[CAMILLE],
    justiceId: justice.id,
    cbcmId: (await db.selectFrom("cbcm").select("id").executeTakeFirstOrThrow()).id,
    nadiaTransmission: (await db.selectFrom("transmissions").select("id").where("convention_id", "=", signed).where("recipient_email", "=", "nadia.lefevre@cbcm.example").executeTakeFirstOrThrow()).id,
  });

  context = {
    config,
    db,
    pki: world.pki,
    verifyDocument: createBoundedVerifier({ trusted: world.pki.trustedCertificates(), maxBytes: DEFAULT_MAX_BYTES, timeoutMs: 15_000, memoryMb: 256 }),
    cspNonce: "bWF0cmljZQ==",
    clientIp: "127.0.0.1",
    mailboxClient: { remoteAddress: "127.0.0.1", host: new URL(config.publicUrl).host, forwardedFor: null },
  } satisfies AppLoadContext;
  const handler = createRequestHandler(build, "production");
  handle = (request) => handler(request, context);
  // Refusals are logged on purpose; errors are kept to explain a 500.
  vi.spyOn(console, "warn").mockImplementation(() => {});
  vi.spyOn(console, "info").mockImplementation(() => {});
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void logged.push(args.map((a) => (a instanceof Error ? a.stack : String(a))).join(" ")));
}, 300_000);
afterAll(() => close?.());

/** `:name` placeholders replaced by the world's ids and tokens; `:fresh` by a new draft. */
async function resolve(text: string, fresh: { id?: string }) {
  if (text.includes(":fresh")) fresh.id ??= await freshDraft();
  return text.replace(/:([a-zA-Z]+)/g, (whole, name: string) => (name === "fresh" ? fresh.id! : values[name] ?? whole));
}

/** One real session per person, as the sign-in opens it, reused until a request ends it. */
const sessions = new Map<string, string>();
async function sessionCookieOf(email: string) {
  let cookie = sessions.get(email);
  if (!cookie) {
    const { sessionToken } = await openSession(db, { personId: people[email], authMethod: "lien_magique", ttlHours: 1, ip: "127.0.0.1", userAgent: "matrice" });
    cookie = (await commitSessionCookie(context, sessionToken)).split(";")[0];
    sessions.set(email, cookie);
  }
  return cookie;
}

async function ask(cell: Cell, email: string | null): Promise<{ summary: string; body: string; status: number; fresh: string }> {
  const fresh: { id?: string } = {};
  const pathname = await resolve(cell.path, fresh);
  // As a browser sends them through Express: Remix compares an action's Origin with the Host.
  const headers = new Headers({ "User-Agent": "matrice-autorisations", Host: new URL(config.publicUrl).host });
  if (email) headers.set("Cookie", await sessionCookieOf(email));
  let body: FormData | undefined;
  if (cell.method === "POST") {
    headers.set("Origin", new URL(config.publicUrl).origin);
    body = new FormData();
    if (cell.intent) body.set("intent", cell.intent);
    for (const [k, v] of Object.entries(cell.form ?? {})) body.set(k, await resolve(v, fresh));
  }
  logged.length = 0;
  const response = await handle(new Request(`${config.publicUrl}${pathname}`, { method: cell.method, headers, body }));
  // Signed out (or signed in again): the next request of this person opens a new session.
  if (email && response.headers.get("Set-Cookie")?.includes("paraphe_session=")) sessions.delete(email);
  const text = response.headers.get("Content-Type")?.includes("pdf") ? "" : await response.text();
  let status = response.status;
  let location = response.headers.get("Location");
  // A client navigation's data request (single fetch) carries its redirect in the body, with a 202.
  const redirected = status === 202 ? /"SingleFetchRedirect".*?"redirect","([^"]*)","status",(\d+)/.exec(text) : null;
  if (redirected) [location, status] = [redirected[1], Number(redirected[2])];
  let summary = String(status);
  if (status >= 300 && status < 400 && location) {
    const target = location.startsWith(config.publicUrl) ? location.slice(config.publicUrl.length) : location;
    const page = pathname.replace(/^\/_root\.data/, "/").replace(/\.data(?=\?|$)/, "");
    summary = target === `/connexion?retour=${encodeURIComponent(page)}` ? "connexion" : `${status} ${target}`;
  }
  return { summary, body: text, status: response.status, fresh: fresh.id ?? "" };
}

/** The URL a client navigation asks for a page's data: `/x?q` → `/x.data?q`, `/` → `/_root.data`. */
function dataPath(page: string) {
  const [pathname, search] = page.split("?");
  return `${pathname === "/" ? "/_root" : pathname}.data${search ? `?${search}` : ""}`;
}

function matches(expected: Expected, got: { summary: string; body: string }, fresh: string) {
  const [, head, mark, text] = /^(.*?)(?: ([~!])(.*))?$/.exec(expected)!;
  const want = head.replace(/:fresh\b/g, fresh).replace(/:([a-zA-Z]+)/g, (w, n: string) => values[n] ?? w);
  if (got.summary !== want) return false;
  if (!mark) return true;
  return decodeEntities(got.body).includes(text) === (mark === "~");
}

const decodeEntities = (html: string) => html.replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, "&");

/** The intents an action route accepts, read from its source and from the helpers it hands the intent to. */
function intentsInSource(routeFile: string): Set<string> {
  const source = readFileSync(routeFile, "utf8");
  const found = new Set<string>();
  for (const m of source.matchAll(/(?<![.\w])intent\s*[!=]==\s*"([^"]+)"/g)) found.add(m[1]);
  for (const m of source.matchAll(/form\.get\("intent"\)\s*\?\?\s*"([^"]+)"/g)) found.add(m[1]);
  for (const label of caseLabels(source, /switch \(intent\) \{/)) found.add(label);
  for (const m of source.matchAll(/\b(apply\w+Intent)\(/g)) {
    const helper = findExport(m[1]);
    for (const label of caseLabels(helper.slice(helper.indexOf(`function ${m[1]}`)), /switch \(verb\) \{/)) found.add(label);
  }
  return found;
}

function caseLabels(source: string, opening: RegExp): string[] {
  const start = source.search(opening);
  if (start < 0) return [];
  let depth = 0;
  let end = start;
  for (let i = source.indexOf("{", start); i < source.length; i++) {
    if (source[i] === "{") depth++;
    if (source[i] === "}" && --depth === 0) {
      end = i;
      break;
    }
  }
  const block = source.slice(start, end);
  // Only the switch's own labels: nested switches are not this one's.
  return [...block.matchAll(/^\s*case "([^"]+)":/gm)].map((m) => m[1]);
}

function findExport(name: string): string {
  for (const f of readdirSync(path.join(root, "app"), { recursive: true, encoding: "utf8" })) {
    if (!/\.tsx?$/.test(f) || /\.test\./.test(f)) continue;
    const text = readFileSync(path.join(root, "app", f), "utf8");
    if (new RegExp(`export function ${name}\\b`).test(text)) return text;
  }
  throw new Error(`${name} introuvable dans app/`);
}

const mismatches: string[] = [];
let asked = 0;
const seen = { routes: new Set<string>(), methods: new Set<string>() };

describe("authorization matrix", () => {
  it("classifies every route of the build, and every intent its action accepts", () => {
    const problems: string[] = [];
    for (const [id, route] of Object.entries(build.routes)) {
      const cells = MATRIX[id];
      if (!cells) {
        problems.push(`${id} : route absente de la matrice (ajoutez-la avec la réponse attendue pour chaque rôle)`);
        continue;
      }
      if (!cells.some((c) => c.method === "GET")) problems.push(`${id} : aucune requête GET dans la matrice`);
      const posted = cells.filter((c) => c.method === "POST");
      if (route.module.action && !posted.length) problems.push(`${id} : a une action, aucune requête POST dans la matrice`);
      if (!route.module.action && posted.length) problems.push(`${id} : n'a pas d'action, la matrice en attend une`);
      if (route.module.action) {
        const file = path.join(root, "app", `${id}.tsx`);
        const accepted = existsSync(file) ? intentsInSource(file) : new Set<string>();
        const covered = new Set(posted.map((c) => (c.intent ?? "").split(":")[0]));
        for (const intent of accepted) if (!covered.has(intent)) problems.push(`${id} : l'intent « ${intent} » n'est pas dans la matrice`);
        for (const intent of covered) if (intent && !accepted.has(intent)) problems.push(`${id} : l'intent « ${intent} » de la matrice n'existe plus`);
      }
    }
    for (const id of Object.keys(MATRIX)) if (!build.routes[id]) problems.push(`${id} : dans la matrice mais plus dans l'application`);
    expect(problems).toEqual([]);
  });

  for (const [id, cells] of Object.entries(MATRIX)) {
    it(`${id}`, async () => {
      const route = build.routes[id];
      if (!route) return; // reported by the classification test above
      // A route without action refuses every POST (405), whoever asks.
      const all7 = route.module.action ? [...cells] : [...cells, { method: "POST" as const, path: cells[0].path, expect: all("405") }];
      // A page's loader answers client navigations too (single fetch `.data`): the same answers.
      if (route.module.default) {
        for (const cell of cells.filter((c) => c.method === "GET")) all7.push({ ...cell, expect: cell.dataExpect ?? cell.expect, path: dataPath(cell.path), note: [cell.note, "navigation .data"].filter(Boolean).join(", ") });
      }
      const own: string[] = [];
      for (const cell of all7) {
        for (const [i, [role, email]] of ROLES.entries()) {
          const got = await ask(cell, email);
          asked++;
          seen.routes.add(id);
          seen.methods.add(cell.method + (cell.intent ? ` ${cell.intent}` : ""));
          const label = `${cell.method} ${cell.path}${cell.intent !== undefined ? ` [intent=${cell.intent}]` : ""}${cell.note ? ` (${cell.note})` : ""} — ${role}`;
          if (got.status >= 500) own.push(`${label} : ${got.summary} (erreur serveur) ${logged.join(" | ").slice(0, 600)}`);
          else if (!matches(cell.expect[i], got, got.fresh)) own.push(`${label} : attendu « ${cell.expect[i]} », reçu « ${got.summary} »`);
        }
      }
      mismatches.push(...own);
      expect(own).toEqual([]);
    }, 300_000);
  }

  afterAll(() => {
    const requests = Object.values(MATRIX).reduce((n, cells) => n + cells.length, 0);
    console.log(
      `Matrice d'autorisations : ${seen.routes.size} routes × ${ROLES.length} rôles, ${seen.methods.size} méthodes et intents distincts, ${requests} requêtes types (+ POST refusés et navigations .data) = ${asked} réponses vérifiées, ${mismatches.length} écart(s).`,
    );
  });
});
