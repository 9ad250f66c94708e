// Messages of the answers the HTTP layer gives before a route runs (app/server/): a request
// it cannot read, one too large, a server error outside Remix. Merged into ../messages.ts.

export const nb = {
  "http.badRequest.title": "Ugyldig forespørsel",
  "http.badRequest.body": "Adressen eller forespørselen kunne ikke leses. Sjekk adressen og prøv igjen.",
  "http.uriTooLong.title": "For lang adresse",
  "http.uriTooLong.body": "Adressen er lengre enn det siden tar imot. Sjekk adressen og prøv igjen.",
  "http.headerTooLarge.title": "For store hodefelt",
  "http.headerTooLarge.body": "Adressen eller hodefeltene i forespørselen er lengre enn det siden tar imot.",
  "http.tooLarge.title": "For mye data",
  "http.tooLarge.body": "Det du sendte, er større enn {limit}, som er det meste denne siden tar imot. Ingenting ble lagret.",
  "http.serverError.title": "Noe gikk galt",
  "http.serverError.body": "Vi klarte ikke å svare på forespørselen. Prøv igjen om litt.",
  "http.backHome": "Til forsiden",
};

export const en: Record<keyof typeof nb, string> = {
  "http.badRequest.title": "Bad request",
  "http.badRequest.body": "The address or request could not be read. Check the address and try again.",
  "http.uriTooLong.title": "Address too long",
  "http.uriTooLong.body": "The address is longer than this site accepts. Check the address and try again.",
  "http.headerTooLarge.title": "Header fields too large",
  "http.headerTooLarge.body": "The address or the request's header fields are longer than this site accepts.",
  "http.tooLarge.title": "Too much data",
  "http.tooLarge.body": "What you sent is larger than {limit}, the most this page accepts. Nothing was saved.",
  "http.serverError.title": "Something went wrong",
  "http.serverError.body": "We could not answer the request. Please try again in a moment.",
  "http.backHome": "Go to the front page",
};
