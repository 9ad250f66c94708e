// Messages of the person's own account pages; merged into ../messages.ts.

export const nb = {
  "account.sessions.title": "Innloggingene dine",
  "account.sessions.intro": "Her ser du hvor du er logget inn. Avslutt en innlogging du ikke kjenner igjen, og bytt passord hvis du mistenker misbruk.",
  "account.sessions.device": "Enhet",
  "account.sessions.signedIn": "Logget inn",
  "account.sessions.lastSeen": "Sist aktiv",
  "account.sessions.thisOne": "denne",
  "account.sessions.end": "Logg ut",
  "account.sessions.endOthers": "Logg ut alle andre ({count})",
  "account.sessions.ended": "Innloggingen er avsluttet.",
  "account.sessions.endedOthers": "Alle andre innlogginger er avsluttet.",
  "account.sessions.notFound": "Fant ikke den innloggingen. Den kan allerede være avsluttet.",
  "nav.sessions": "Innlogginger",
};

export const en: Record<keyof typeof nb, string> = {
  "account.sessions.title": "Your sign-ins",
  "account.sessions.intro": "This is where you are signed in. End a sign-in you do not recognise, and change your password if you suspect misuse.",
  "account.sessions.device": "Device",
  "account.sessions.signedIn": "Signed in",
  "account.sessions.lastSeen": "Last active",
  "account.sessions.thisOne": "this one",
  "account.sessions.end": "Sign out",
  "account.sessions.endOthers": "Sign out all others ({count})",
  "account.sessions.ended": "The sign-in has ended.",
  "account.sessions.endedOthers": "All other sign-ins have ended.",
  "account.sessions.notFound": "That sign-in was not found. It may already have ended.",
  "nav.sessions": "Sign-ins",
};
