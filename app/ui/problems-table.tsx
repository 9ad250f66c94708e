import type { ImportProblem } from "~/domain/import-validate";
import { useLocale, useT } from "~/i18n/i18n";
import { TableBox, Td, Th, Tr } from "./data-table";

/** The problems that refused a file (an import, a contacts file): row, column, value and reason, each row marked with its row number. */
export function ProblemsTable({ problems }: { problems: readonly ImportProblem[] }) {
  const t = useT();
  const locale = useLocale();
  return (
    <TableBox caption={t("staff.problems.caption")} captionHidden>
      <thead>
        <tr>
          <Th numeric>{t("staff.problems.row")}</Th>
          <Th>{t("staff.problems.column")}</Th>
          <Th>{t("staff.problems.value")}</Th>
          <Th>{t("staff.problems.reason")}</Th>
        </tr>
      </thead>
      <tbody>
        {problems.map((p, i) => (
          <Tr key={i} data-problem-row={p.row}>
            <Td numeric>{p.row > 0 ? p.row : "–"}</Td>
            <Td className="font-mono">{p.column || "–"}</Td>
            <Td className="font-mono break-all">{p.value}</Td>
            <Td>{p.message[locale]}</Td>
          </Tr>
        ))}
      </tbody>
    </TableBox>
  );
}
