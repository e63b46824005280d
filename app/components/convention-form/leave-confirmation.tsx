/**
 * Leaving the form with unsaved changes asks first. A link to another page (clicked in the page)
 * and any other in-app navigation (the back button: the router's blocker) open « Quitter sans
 * enregistrer ? » with « Rester sur la page » and « Quitter sans enregistrer »; closing or
 * reloading the tab goes through « beforeunload » (the browser's own dialog). Saving — a
 * submission to this same page — is never held back.
 */
import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { useBlocker } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState } from "react";
import { InlineStyle } from "~/components/inline-style";

export const LEAVE_TITLE = "Quitter sans enregistrer ?";
export const LEAVE_MESSAGE = "Vos modifications ne sont pas enregistrées. Si vous quittez cette page, elles seront perdues.";

type Pending = { kind: "link"; href: string } | { kind: "router" };

export function useLeaveConfirmation(dirty: boolean) {
  const allowed = useRef(false);
  const [pending, setPending] = useState<Pending | null>(null);
  useEffect(() => {
    if (!dirty) allowed.current = false;
  }, [dirty]);
  // A click on a link to another page: held in the capture phase, before the router's own handler
  // (and before a plain <a> starts a full page load).
  useEffect(() => {
    if (!dirty) return;
    const onClick = (event: MouseEvent) => {
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const link = (event.target as Element | null)?.closest?.("a[href]") as HTMLAnchorElement | null;
      if (!link || (link.target && link.target !== "_self") || link.hasAttribute("download")) return;
      const url = new URL(link.href, window.location.href);
      if (url.origin === window.location.origin && url.pathname === window.location.pathname) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      setPending({ kind: "link", href: url.href });
    };
    window.addEventListener("click", onClick, true);
    return () => window.removeEventListener("click", onClick, true);
  }, [dirty]);
  // The back button and other in-app navigations.
  const blocker = useBlocker(({ currentLocation, nextLocation }) => dirty && !allowed.current && currentLocation.pathname !== nextLocation.pathname);
  useEffect(() => {
    if (blocker.state === "blocked") setPending({ kind: "router" });
  }, [blocker.state]);
  // Closing or reloading the tab.
  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (allowed.current) return;
      event.preventDefault();
      event.returnValue = "";
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => window.removeEventListener("beforeunload", onBeforeUnload);
  }, [dirty]);

  const stay = useCallback(() => {
    if (blocker.state === "blocked") blocker.reset();
    setPending(null);
  }, [blocker]);
  const leave = useCallback(() => {
    allowed.current = true;
    if (pending?.kind === "link") {
      const url = new URL(pending.href);
      setPending(null);
      window.location.assign(url.href);
    } else {
      setPending(null);
      if (blocker.state === "blocked") blocker.proceed();
    }
  }, [blocker, pending]);
  return { open: pending !== null, stay, leave };
}

/** The confirmation, as a modal dialog (focus held inside, Échap = rester). */
export function LeaveDialog({ open, stay, leave }: { open: boolean; stay: () => void; leave: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      aria-labelledby="quitter-titre"
      aria-describedby="quitter-message"
      className="paraphe-quitter"
      onCancel={(event) => {
        event.preventDefault();
        stay();
      }}
    >
      <InlineStyle css={`.paraphe-quitter{max-width:36rem;width:calc(100% - 2rem);border:1px solid var(--border-default-grey);padding:2rem;background:var(--background-default-grey);color:var(--text-default-grey)}.paraphe-quitter::backdrop{background:rgba(22,22,22,.64)}`} />
      <h2 id="quitter-titre" className={fr.cx("fr-h4")}>
        {LEAVE_TITLE}
      </h2>
      <p id="quitter-message">{LEAVE_MESSAGE}</p>
      <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-md", "fr-btns-group--right")}>
        <li>
          <Button priority="secondary" onClick={leave}>
            Quitter sans enregistrer
          </Button>
        </li>
        <li>
          <Button onClick={stay} nativeButtonProps={{ autoFocus: true }}>
            Rester sur la page
          </Button>
        </li>
      </ul>
    </dialog>
  );
}
