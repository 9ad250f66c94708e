import { formatScore } from "~/domain/format";
import type { Channel } from "~/domain/types";
import { useLocale, useT } from "~/i18n/i18n";
import { DataTable } from "./data-table";
import { Section } from "./section";

/** The best on each channel (issue 16), as the awards page and the staff results list show it: a row per channel, "no winner" where nobody qualified. */
export function ChannelWinners({ channels }: { channels: { channel: Channel; winners: { participantName: string; score: number }[] }[] }) {
  const t = useT();
  const locale = useLocale();
  return (
    <Section id="channels" title={t("awardPages.channels")} description={t("awardPages.channelsIntro")} plain>
      <DataTable
        caption={t("awardPages.channels")}
        captionHidden
        rows={channels}
        rowKey={(c) => c.channel}
        empty={null}
        columns={[
          { key: "channel", header: t("awardPages.channel"), rowHeader: true, cell: (c) => t(`channel.${c.channel}`) },
          { key: "winner", header: t("awardPages.winner"), cell: (c) => (c.winners.length ? c.winners.map((w) => w.participantName).join(", ") : t("awardPages.noWinner")) },
          { key: "score", header: t("awards.col.score"), numeric: true, cell: (c) => (c.winners[0] ? formatScore(c.winners[0].score, locale) : "–") },
        ]}
      />
    </Section>
  );
}
