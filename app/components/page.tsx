import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import type { ReactNode } from "react";

/** Page frame: breadcrumb, h1 and content. Every page but the home page uses it. */
export function Page({ title, trail = [], children }: { title: string; trail?: { label: string; href: string }[]; children: ReactNode }) {
  return (
    <>
      <Breadcrumb
        currentPageLabel={title}
        homeLinkProps={{ to: "/" }}
        segments={trail.map((s) => ({ label: s.label, linkProps: { to: s.href } }))}
      />
      <h1>{title}</h1>
      {children}
    </>
  );
}

const PARIS = "Europe/Paris";
export function formatDateTime(value: Date | string): string {
  return new Intl.DateTimeFormat("fr-FR", { dateStyle: "long", timeStyle: "short", timeZone: PARIS }).format(new Date(value));
}
export function formatDate(value: Date | string): string {
  return new Intl.DateTimeFormat("fr-FR", { dateStyle: "long", timeZone: PARIS }).format(new Date(value));
}
