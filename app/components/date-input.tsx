/**
 * The one way a date is entered on every form: the DSFR date input (`<input type="date">` in
 * react-dsfr's Input), with one hint that always ends with the expected format.
 */
import { Input } from "@codegouvfr/react-dsfr/Input";
import type { ComponentProps, ReactNode } from "react";

export const DATE_FORMAT_HINT = "Format attendu : JJ/MM/AAAA";

type NativeProps = NonNullable<ComponentProps<"input">>;

export function DateInput({
  label,
  hint,
  error,
  className,
  nativeInputProps,
}: {
  label: ReactNode;
  /** What the date means; the expected format follows it in the same hint. */
  hint?: ReactNode;
  error?: string;
  className?: string;
  nativeInputProps: Omit<NativeProps, "type"> & { name: string };
}) {
  return (
    <Input
      className={className}
      label={label}
      hintText={
        hint ? (
          <>
            {hint} {DATE_FORMAT_HINT}
          </>
        ) : (
          DATE_FORMAT_HINT
        )
      }
      state={error ? "error" : "default"}
      stateRelatedMessage={error}
      nativeInputProps={{ ...nativeInputProps, type: "date" }}
    />
  );
}
