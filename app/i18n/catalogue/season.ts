// Messages of the study season (spec/season.md): the review window, scheduled publication
// and the e-mails they send. Merged into ../messages.ts.

export const nb = {
  "season.mail.review.subject": "Foreløpige resultater fra Kundeserviceprisen {year}",
  "season.mail.review.body":
    "Hei {name},\n\nDe foreløpige resultatene fra Kundeserviceprisen {year} for {companies} er klare i Innsikt.\n\nSe gjennom henvendelsene deres. Mener dere at en vurdering er feil, kan en leder eller teamleder sende inn et spørsmål om den fra henvendelsens side innen {deadline}.\n\n{link}\n\nVil du ikke lenger ha slike e-poster, kan du slå dem av på kontosiden din: {account}\n\nHilsen Kundeserviceprisen",
  "season.mail.published.subject": "Resultatene fra Kundeserviceprisen {year} er publisert",
  "season.mail.published.body":
    "Hei {name},\n\nResultatene fra Kundeserviceprisen {year} for {companies} er publisert i Innsikt, med sammenligning mot bransjen og rangering.\n\n{link}\n\nVil du ikke lenger ha slike e-poster, kan du slå dem av på kontosiden din: {account}\n\nHilsen Kundeserviceprisen",
  "query.state.open": "Åpent",
  "query.state.accepted": "Godtatt",
  "query.state.partly_accepted": "Delvis godtatt",
  "query.state.rejected": "Avvist",
  "query.mail.changed": "Poengene ble rettet: totalskåren for henvendelsen er nå {after} (var {before}).",
  "query.mail.answered.subject": "Svar på spørsmålet om henvendelse {ref}",
  "query.mail.answered.body":
    "Hei {name},\n\nSpørsmålet ditt om henvendelse {ref} i Kundeserviceprisen {year} er besvart: {state}.\n\n{answer}\n\n{change}\n\n{link}\n\nHilsen Kundeserviceprisen",
  "query.mail.digest.subject": "Nye spørsmål om resultater ({count})",
  "query.mail.digest.body": "Hei,\n\nDeltakerne har sendt inn {count} nye spørsmål om resultater:\n\n{lines}\n\nSvar på dem her: {link}\n\nInnsikt",
};

export const en: Record<keyof typeof nb, string> = {
  "season.mail.review.subject": "Preliminary results of Kundeserviceprisen {year}",
  "season.mail.review.body":
    "Hello {name},\n\nThe preliminary results of Kundeserviceprisen {year} for {companies} are ready in Innsikt.\n\nPlease go through your inquiries. If you believe a score is wrong, a manager or team lead can raise a query about it from the inquiry's page until {deadline}.\n\n{link}\n\nIf you no longer want these e-mails, you can turn them off on your account page: {account}\n\nKind regards, Kundeserviceprisen",
  "season.mail.published.subject": "The results of Kundeserviceprisen {year} are published",
  "season.mail.published.body":
    "Hello {name},\n\nThe results of Kundeserviceprisen {year} for {companies} are published in Innsikt, with the comparison with your industry and the ranking.\n\n{link}\n\nIf you no longer want these e-mails, you can turn them off on your account page: {account}\n\nKind regards, Kundeserviceprisen",
  "query.state.open": "Open",
  "query.state.accepted": "Accepted",
  "query.state.partly_accepted": "Partly accepted",
  "query.state.rejected": "Rejected",
  "query.mail.changed": "The points were corrected: the inquiry's total score is now {after} (it was {before}).",
  "query.mail.answered.subject": "Answer to your query on inquiry {ref}",
  "query.mail.answered.body":
    "Hello {name},\n\nYour query on inquiry {ref} in Kundeserviceprisen {year} has been answered: {state}.\n\n{answer}\n\n{change}\n\n{link}\n\nKind regards, Kundeserviceprisen",
  "query.mail.digest.subject": "New queries about results ({count})",
  "query.mail.digest.body": "Hello,\n\nParticipants have raised {count} new queries about results:\n\n{lines}\n\nAnswer them here: {link}\n\nInnsikt",
};
