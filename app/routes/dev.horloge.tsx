/**
 * Test only (PARAPHE_CLOCK_CONTROL=1, refused by the configuration on a non-local PUBLIC_URL; 404
 * otherwise): moves the portal's clock forward by a number of days and runs the scheduler once, so
 * that an end-to-end test sees a convention enter into force, expire or become « résiliée ».
 * POST jours=<0..3660> (form-encoded) -> JSON { maintenant, date, planificateur }.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Page } from "~/components/page";
import { advanceClock, clockOffsetMs, now } from "~/clock.server";
import { parisDate } from "~/domain/dates";
import { runScheduler } from "~/services/run-scheduler.server";

export const meta: MetaFunction = () => [{ title: "Horloge de test — Paraphe" }];

const notFound = () => new Response("Page introuvable.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });

const clockFormSchema = z.strictObject({
  jours: z.coerce.number({ error: "Indiquez un nombre de jours" }).int("Indiquez un nombre entier de jours").min(0, "L'horloge ne peut qu'avancer").max(3660, "3 660 jours au plus"),
});

export async function loader({ context }: LoaderFunctionArgs) {
  if (!context.config.clockControl) throw notFound();
  const at = now();
  return { maintenant: at.toISOString(), date: parisDate(at), decalageJours: Math.round((clockOffsetMs() / 86_400_000) * 100) / 100 };
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (!context.config.clockControl) throw notFound();
  const form = await request.formData();
  const parsed = clockFormSchema.safeParse({ jours: form.get("jours") ?? undefined });
  if (!parsed.success) return Response.json({ erreur: parsed.error.issues[0].message }, { status: 400 });
  const at = advanceClock(context.config, parsed.data.jours * 86_400_000);
  const planificateur = await runScheduler(context.db, { config: context.config }, at);
  return Response.json({ maintenant: at.toISOString(), date: parisDate(at), planificateur });
}

export default function DevClock() {
  const { date, decalageJours } = useLoaderData<typeof loader>();
  const result = useActionData<{ date?: string; erreur?: string }>();
  return (
    <Page title="Horloge de test">
      <p>
        Réservée aux tests (<code>PARAPHE_CLOCK_CONTROL=1</code>) : avancer l'horloge du portail puis lancer une fois le planificateur
        (entrées en vigueur, expirations, résiliations, rappels).
      </p>
      <p>
        Date du portail : <strong>{result?.date ?? date}</strong> (avance de {decalageJours} jour(s) sur l'heure réelle).
      </p>
      {result?.erreur ? <p className="fr-error-text">{result.erreur}</p> : null}
      <Form method="post">
        <div className="fr-input-group">
          <label className="fr-label" htmlFor="jours">
            Avancer de (jours)
          </label>
          <input className="fr-input" id="jours" name="jours" type="number" min={0} max={3660} defaultValue={1} required />
        </div>
        <button className="fr-btn" type="submit">
          Avancer l'horloge
        </button>
      </Form>
    </Page>
  );
}
