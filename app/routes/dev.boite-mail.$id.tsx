import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { formatDateTime, Page } from "~/components/page";
import { getCapturedMessage } from "~/email/outbox.server";
import { UUID_RE } from "~/models/conventions.server";
import { requireDevMailbox } from "~/http/dev-mailbox.server";

export const meta: MetaFunction = () => [{ title: "E-mail capturé — Paraphe" }];

export async function loader({ context, params }: LoaderFunctionArgs) {
  requireDevMailbox(context);
  const message = UUID_RE.test(params.id ?? "") ? await getCapturedMessage(context.db, params.id!) : undefined;
  if (!message) throw new Response("E-mail introuvable.", { status: 404 });
  return {
    to: message.to_address,
    subject: message.subject,
    text: message.body_text,
    createdAt: message.created_at.toISOString(),
    attachments: message.attachments,
  };
}

/** Links in the text become clickable; everything else stays plain text. */
function Linkified({ text }: { text: string }) {
  return (
    <>
      {text.split(/(https?:\/\/\S+)/g).map((part, i) => (i % 2 === 1 ? <a key={i} href={part}>{part}</a> : part))}
    </>
  );
}

export default function CapturedMessage() {
  const m = useLoaderData<typeof loader>();
  return (
    <Page title={m.subject} trail={[{ label: "Boîte mail de développement", href: "/dev/boite-mail" }]}>
      <p>
        À : {m.to} — {formatDateTime(m.createdAt)}
      </p>
      {m.attachments.length ? <p>Pièces jointes : {m.attachments.join(", ")}</p> : null}
      <pre className="paraphe-mail">
        <Linkified text={m.text} />
      </pre>
    </Page>
  );
}
