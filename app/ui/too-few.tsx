import { useT } from "~/i18n/i18n";

/**
 * Why a figure from other companies shows as "–": fewer than 3 companies contributed to it
 * (the anonymity rule of spec/scoring.md). Shown under a table when any of its figures is hidden.
 */
export function TooFewNote({ hidden }: { hidden: boolean }) {
  const t = useT();
  if (!hidden) return null;
  return (
    <p role="note" className="mt-3 text-sm text-gray-700">
      {t("anonymity.tooFew")}
    </p>
  );
}
