// Deterministic demo studies for Kundeserviceprisen: invented companies, shoppers and inquiries.
// Pure: no I/O, no clock, no Math.random. The same seed and years give byte-identical output,
// and a year comes out the same whichever other years are asked for.

import { orgNumberControlDigit } from "~/domain/org-number";
import type {
  AreaDef,
  Channel,
  Gender,
  InquiryRow,
  ParticipantRow,
  QuestionDef,
  QuestionKind,
  Questionnaire,
  ShopperRow,
  StudyData,
} from "~/domain/types";

// ─── Data tables ────────────────────────────────────────────────────────────

/** Before 2021 the 2020 weights and texts apply; from 2021 on the 2021 ones. */
const QUESTIONNAIRE_CHANGE_YEAR = 2021;

interface AreaSpec {
  code: string;
  name: string;
  weightBefore: number;
  weightFrom: number;
}

const AREAS: AreaSpec[] = [
  { code: "V", name: "Velkomst og mottak", weightBefore: 15, weightFrom: 10 },
  { code: "B", name: "Behovsavdekking", weightBefore: 20, weightFrom: 20 },
  { code: "K", name: "Kundebehandleren", weightBefore: 30, weightFrom: 40 },
  { code: "L", name: "Løsning", weightBefore: 25, weightFrom: 20 },
  { code: "A", name: "Avslutning", weightBefore: 10, weightFrom: 10 },
  { code: "CX", name: "Kundeopplevelse", weightBefore: 0, weightFrom: 0 },
];

interface QuestionSpec {
  code: string;
  area: string;
  text: string;
  /** Set on the one question reworded in 2021, so trends show it as not comparable. */
  textFrom?: string;
  kind: QuestionKind;
  maxPoints: number | null;
  channels: Channel[] | null;
  /** Logit offset: higher means fewer points at the same inquiry quality. */
  difficulty: number;
  /** Scored from the wait time instead of the agent's behaviour. */
  speed?: boolean;
  /** A scorer may mark it not applicable on an otherwise answered inquiry. */
  optional?: boolean;
}

const QUESTIONS: QuestionSpec[] = [
  { code: "V1", area: "V", text: "Kom kunden raskt gjennom til en kundebehandler?", kind: "points", maxPoints: 3, channels: ["phone", "chat", "messenger"], difficulty: 0, speed: true },
  { code: "V2", area: "V", text: "Fikk kunden svar på e-posten innen ett døgn?", kind: "points", maxPoints: 3, channels: ["email"], difficulty: 0, speed: true },
  { code: "V3", area: "V", text: "Ble kunden ønsket velkommen på en hyggelig måte?", kind: "points", maxPoints: 2, channels: null, difficulty: -0.7 },
  { code: "B1", area: "B", text: "Stilte kundebehandleren spørsmål for å forstå kundens behov?", kind: "points", maxPoints: 4, channels: null, difficulty: 0.3 },
  { code: "B2", area: "B", text: "Ble kundens behov oppsummert før løsningen ble presentert?", kind: "points", maxPoints: 2, channels: null, difficulty: 0.8, optional: true },
  { code: "K1", area: "K", text: "Var kundebehandleren engasjert og interessert i kunden?", kind: "points", maxPoints: 5, channels: null, difficulty: -0.1 },
  { code: "K2", area: "K", text: "Tilpasset kundebehandleren språk og tempo til kunden?", kind: "points", maxPoints: 5, channels: null, difficulty: 0 },
  { code: "K3", area: "K", text: "Sa kundebehandleren navnet sitt?", kind: "points", maxPoints: 1, channels: ["phone"], difficulty: 0.1 },
  { code: "K4", area: "K", text: "Virket kundebehandleren kunnskapsrik og trygg?", kind: "points", maxPoints: 4, channels: null, difficulty: -0.2 },
  { code: "L1", area: "L", text: "Fikk kunden et riktig og fullstendig svar?", kind: "points", maxPoints: 5, channels: null, difficulty: -0.1 },
  { code: "L2", area: "L", text: "Ble neste steg gjort tydelig for kunden?", kind: "points", maxPoints: 3, channels: null, difficulty: 0.4, optional: true },
  {
    code: "L3", area: "L", text: "Fikk kunden et konkret tilbud?",
    textFrom: "Ble kunden tilbudt en konkret løsning, et tilbud eller en avtale om oppfølging?",
    kind: "points", maxPoints: 3, channels: null, difficulty: 0.7, optional: true,
  },
  { code: "A1", area: "A", text: "Ble kunden takket for henvendelsen?", kind: "points", maxPoints: 2, channels: null, difficulty: -0.9 },
  { code: "A2", area: "A", text: "Ble kunden spurt om det var noe mer kundebehandleren kunne hjelpe med?", kind: "points", maxPoints: 2, channels: null, difficulty: 0.5, optional: true },
  { code: "CX1", area: "CX", text: "Hvor sannsynlig er det at du vil anbefale selskapet til andre? (0-10)", kind: "nps", maxPoints: null, channels: null, difficulty: 0 },
  { code: "CX2", area: "CX", text: "Hvor fornøyd er du med henvendelsen? (1-5)", kind: "csat", maxPoints: null, channels: null, difficulty: 0 },
];

interface Scenario {
  text: string;
  /** The shopper's opening line. */
  ask: string;
  /** What the shopper tells when asked about the need. */
  detail: string;
  /** A good agent's answer. */
  answer: string;
}

const SCENARIOS = {
  power: {
    text: "Lurer på å bytte strømavtale",
    ask: "Hei! Jeg flytter snart og vurderer å bytte strømavtale. Hva kan dere tilby?",
    detail: "Det er en leilighet på 70 kvadratmeter, og vi er to voksne.",
    answer: "Da passer spotprisavtalen vår godt. Den har lavt påslag og ingen bindingstid, og du kan bestille den på nett.",
  },
  mortgage: {
    text: "Spør om renter på boliglån",
    ask: "Hei, jeg skal kjøpe min første bolig og lurer på hvilken rente dere kan gi på boliglån.",
    detail: "Jeg har 15 prosent egenkapital og fast jobb. Boligen koster rundt 3,5 millioner.",
    answer: "Med din egenkapital kan vi tilby førstehjemslån. Renten fastsettes etter en kredittvurdering, så jeg foreslår at du søker om finansieringsbevis hos oss.",
  },
  bsu: {
    text: "Vil opprette BSU-konto",
    ask: "Hei! Jeg er 25 år og lurer på hvordan jeg oppretter BSU hos dere.",
    detail: "Jeg har ikke bank hos dere i dag, men vil gjerne spare til egen bolig.",
    answer: "Du blir kunde med BankID på et par minutter og kan opprette BSU i nettbanken med en gang. Du kan spare inntil 27 500 kroner i året og får skattefradrag.",
  },
  returnItem: {
    text: "Lurer på retur av en vare",
    ask: "Hei! Jeg kjøpte noe hos dere for to uker siden, men det passet ikke. Hvordan returnerer jeg det?",
    detail: "Varen er ubrukt og ligger i originalemballasjen.",
    answer: "Da har du full angrerett. Skriv ut returlappen fra ordrebekreftelsen og lever pakken på nærmeste hentested, så får du pengene tilbake innen 14 dager.",
  },
  delivery: {
    text: "Spør om leveringstid på en bestilling",
    ask: "Hei, jeg vurderer å bestille og lurer på hvor lang leveringstiden er.",
    detail: "Jeg bor i Bodø og trenger det før helgen om to uker.",
    answer: "Til Bodø er leveringstiden normalt tre til fem virkedager, så det rekker du fint. Du får sporingsnummer på SMS når pakken er sendt.",
  },
  homeInsurance: {
    text: "Ønsker tilbud på innboforsikring",
    ask: "Hei! Jeg har nettopp flyttet og trenger innboforsikring. Kan dere gi meg et tilbud?",
    detail: "Jeg leier en toroms i Trondheim og har verdier for rundt 300 000 kroner.",
    answer: "Da anbefaler jeg innboforsikring med 400 000 kroner i forsikringssum, så du har litt å gå på. Jeg sender deg tilbudet på e-post nå.",
  },
  mobilePlan: {
    text: "Vil bytte mobilabonnement",
    ask: "Hei, jeg vurderer å flytte mobilabonnementet mitt til dere. Hva koster det?",
    detail: "Jeg bruker rundt 10 GB i måneden og ringer ikke så mye.",
    answer: "Da passer abonnementet med 12 GB godt. Du beholder nummeret ditt, og vi ordner oppsigelsen hos den gamle leverandøren.",
  },
  broadband: {
    text: "Spør om fiber til ny bolig",
    ask: "Hei! Jeg har kjøpt rekkehus og lurer på om dere kan levere fiber dit.",
    detail: "Adressen er Bjørkeveien 12, og jeg jobber mye hjemmefra.",
    answer: "Jeg har sjekket adressen, og der kan vi levere fiber med 500 Mbit/s. Installasjonen tar rundt tre uker fra bestilling.",
  },
  changeBooking: {
    text: "Må endre datoen på en bestilling",
    ask: "Hei, jeg har en bestilling i mars, men må endre datoen. Går det an, og hva koster det?",
    detail: "Jeg vil gjerne flytte den én uke fram. Bestillingen er for to personer.",
    answer: "Det går fint. Endringen er gratis så lenge det er mer enn 14 dager igjen, og du får ny bekreftelse på e-post.",
  },
  cancellation: {
    text: "Spør om hva som gjelder ved avbestilling",
    ask: "Hei! Hvis jeg bestiller nå og må avbestille senere, får jeg da pengene tilbake?",
    detail: "Det gjelder en tur for to personer i påsken.",
    answer: "Avbestiller du senest 30 dager før, får du alt tilbake bortsett fra et gebyr på 250 kroner. Etter det dekker reiseforsikringen ved sykdom.",
  },
  testDrive: {
    text: "Ønsker å prøvekjøre en elbil",
    ask: "Hei, jeg er interessert i en elbil og vil gjerne prøvekjøre. Hvordan går jeg fram?",
    detail: "Vi er en familie på fire og kjører mye langt om vinteren.",
    answer: "Da vil jeg foreslå en av de større modellene med firehjulstrekk. Jeg kan sette opp en prøvekjøring torsdag kl. 16, passer det?",
  },
  noticePeriod: {
    text: "Lurer på oppsigelsestid",
    ask: "Hei! Jeg vurderer å bli kunde, men vil vite hvilken oppsigelsestid dere har.",
    detail: "Jeg skal kanskje flytte til en annen by til høsten.",
    answer: "Vi har én måneds oppsigelsestid og ingen bindingstid, så det er enkelt å si opp hvis du flytter.",
  },
  valuation: {
    text: "Ønsker verdivurdering av boligen",
    ask: "Hei, vi tenker å selge leiligheten og vil gjerne ha en verdivurdering.",
    detail: "Det er en treroms fra 1980-tallet som ble pusset opp for tre år siden.",
    answer: "Det ordner vi gjerne, og verdivurderingen er uforpliktende. Jeg kan komme på befaring neste uke.",
  },
  studentDiscount: {
    text: "Spør om studentrabatt",
    ask: "Hei! Jeg er student og lurer på om dere har studentrabatt.",
    detail: "Jeg er 22 år og studerer på deltid.",
    answer: "Ja, med gyldig studentbevis får du 40 prosent rabatt. Studerer du minst 50 prosent, gjelder rabatten også for deltidsstudenter.",
  },
  otcAdvice: {
    text: "Spør om råd om et reseptfritt legemiddel",
    ask: "Hei, jeg har fått pollenallergi og lurer på hva dere kan anbefale.",
    detail: "Jeg er mest plaget med rennende nese og kløe i øynene, og jeg bruker ingen andre medisiner.",
    answer: "Da kan du prøve en allergitablett som ikke gjør deg trøtt, gjerne sammen med øyedråper. Hjelper det ikke i løpet av en uke, bør du snakke med legen.",
  },
  paymentPlan: {
    text: "Ønsker en nedbetalingsavtale",
    ask: "Hei, jeg har fått et krav som jeg ikke klarer å betale på én gang. Kan jeg dele det opp?",
    detail: "Det gjelder rundt 8 000 kroner, og jeg kan betale 1 000 kroner i måneden.",
    answer: "Ja, vi kan sette opp en nedbetalingsavtale over åtte måneder. Jeg sender deg avtalen til signering med BankID.",
  },
  productAdvice: {
    text: "Trenger råd om hvilket produkt som passer",
    ask: "Hei! Jeg skal kjøpe noe nytt og trenger litt hjelp til å velge.",
    detail: "Det skal brukes hver dag, og budsjettet er rundt 5 000 kroner.",
    answer: "Da vil jeg anbefale mellomklassemodellen vår. Den holder lenge, og du har fem års reklamasjonsrett. Jeg sender deg en lenke.",
  },
  invoiceError: {
    text: "Mener fakturaen er feil",
    ask: "Hei, jeg har fått en faktura som er mye høyere enn vanlig. Kan dere sjekke den?",
    detail: "Det gjelder siste faktura. Den er nesten dobbelt så høy som forrige måned.",
    answer: "Jeg ser at det er fakturert to perioder på én gang. Jeg korrigerer det nå, og du får en kreditnota i løpet av et par dager.",
  },
} satisfies Record<string, Scenario>;

type ScenarioKey = keyof typeof SCENARIOS;

interface ClassSpec {
  code: string;
  name: string;
  /** 2–3 channels; a class is measured on the same channels for every company. */
  channels: Channel[];
  scenarios: ScenarioKey[];
  /** Invented names; any likeness to a real company is unintended. */
  companies: string[];
}

const CLASSES: ClassSpec[] = [
  {
    code: "bank", name: "Bank", channels: ["phone", "chat", "email"], scenarios: ["mortgage", "bsu"],
    companies: ["Fjordbanken", "Vidde Sparebank", "Polarbanken", "Skjærgård Sparebank", "Tindebanken", "Lyngheia Bank", "Havbris Bank", "Nordkapp Kreditt", "Bjørkelid Sparebank", "Kvitfjell Bank"],
  },
  {
    code: "strom", name: "Strøm", channels: ["phone", "chat", "messenger"], scenarios: ["power", "invoiceError", "noticePeriod"],
    companies: ["Nordlys Energi", "Fossekall Kraft", "Vindkast Strøm", "Elvebredd Energi", "Solgløtt Kraft", "Høyfjell Energi", "Bekkesprang Kraft", "Lyngbø Energi", "Dalastraum Kraft", "Kvikk Strøm"],
  },
  {
    code: "netthandel", name: "Netthandel", channels: ["chat", "email", "messenger"], scenarios: ["returnItem", "delivery"],
    companies: ["Handlekurven", "Kjøpeklikk", "Varehuset Nett", "Nettbua", "Postkassa Shop", "Tindra Handel", "Lykkekjøp", "Raskvare", "Hyllefyll"],
  },
  {
    code: "forsikring", name: "Forsikring", channels: ["phone", "chat", "email"], scenarios: ["homeInsurance", "noticePeriod"],
    companies: ["Vidde Forsikring", "Trygghavn Forsikring", "Bolverk Forsikring", "Varde Forsikring", "Ly Forsikring", "Fjellvakt Forsikring", "Bautaen Forsikring", "Kystvern Forsikring", "Hjemtrygg Forsikring"],
  },
  {
    code: "telekom", name: "Telekom", channels: ["phone", "chat", "messenger"], scenarios: ["mobilePlan", "invoiceError"],
    companies: ["Fjellnett Mobil", "Signal Nord", "Bølgelengde Mobil", "Ekko Mobil", "Ringeklar", "Talefrekvens", "Sambandet Mobil", "Nordsignal"],
  },
  {
    code: "reiseliv", name: "Reiseliv", channels: ["phone", "email"], scenarios: ["changeBooking", "cancellation"],
    companies: ["Nordvegen Reiser", "Fjordferie", "Solkysten Reisebyrå", "Vandrelyst Reiser", "Midnattsol Turer", "Reisekompasset", "Eventyrreiser Norge", "Sydenekspressen"],
  },
  {
    code: "bilforhandlere", name: "Bilforhandlere", channels: ["phone", "email"], scenarios: ["testDrive"],
    companies: ["Veiviser Bil", "Fjordbil", "Hjulet Bilsenter", "Nordvei Bil", "Motorhuset Vest", "Bilgården Øst", "Tindeland Bil", "Kjørelyst Bilsalg", "Dalen Bilforretning"],
  },
  {
    code: "dagligvare", name: "Dagligvare", channels: ["chat", "messenger", "email"], scenarios: ["delivery", "returnItem"],
    companies: ["Matkroken", "Nærbutikken Nord", "Kurv & Kasse", "Fjordmat", "Hverdagsmat", "Matglede", "Handlenett", "Bondens Kurv"],
  },
  {
    code: "apotek", name: "Apotek", channels: ["phone", "chat"], scenarios: ["otcAdvice"],
    companies: ["Lindring Apotek", "Hjertelig Apotek", "Kamille Apotek", "Nordstjerna Apotek", "Fjellrype Apotek", "Malurt Apotek", "Helsebrønnen Apotek", "Ringblomst Apotek"],
  },
  {
    code: "eiendomsmegling", name: "Eiendomsmegling", channels: ["phone", "email"], scenarios: ["valuation"],
    companies: ["Nøkkelhuset Eiendom", "Tunet Eiendomsmegling", "Grunnmur Eiendom", "Takhøyde Megling", "Boligvalg Eiendom", "Havutsikt Eiendomsmegling", "Torvet Eiendom", "Kvartal Megling", "Dørstokken Eiendom"],
  },
  {
    code: "treningssentre", name: "Treningssentre", channels: ["chat", "messenger", "email"], scenarios: ["noticePeriod", "studentDiscount"],
    companies: ["Pulsen Trening", "Styrkeverket", "Formkurven", "Svettebua", "Kondis Senter", "Aktiv Hverdag", "Treningsloftet", "Løftet Gym"],
  },
  {
    code: "kollektivtransport", name: "Kollektivtransport", channels: ["phone", "chat", "messenger"], scenarios: ["studentDiscount"],
    companies: ["Fjordbuss", "Regionrute", "Kystpendelen", "Dalrute", "Bygdeskyss", "Nordtrafikk", "Pendlerbussen", "Fergesambandet Vest"],
  },
  {
    code: "flyselskap", name: "Flyselskap", channels: ["phone", "chat", "messenger"], scenarios: ["changeBooking", "cancellation"],
    companies: ["Nordavind Air", "Fjellfly", "Kystvinge", "Polarfly", "Havørn Air", "Vingespenn", "Isfjord Air", "Skylaget"],
  },
  {
    code: "hotell", name: "Hotell", channels: ["phone", "email"], scenarios: ["changeBooking", "cancellation"],
    companies: ["Fjordtun Hotell", "Kaikanten Hotell", "Høyfjellshotellet Vidde", "Nattero Hotell", "Tindetoppen Hotell", "Skjærgårdshotellet", "Lanterne Hotell", "Sjøbua Hotell", "Nordlys Hotell"],
  },
  {
    code: "mobler-og-interior", name: "Møbler og interiør", channels: ["phone", "chat", "email"], scenarios: ["delivery", "productAdvice"],
    companies: ["Hjemkos", "Sofakroken", "Stue & Stil", "Trehuset Møbler", "Nordisk Bolig", "Lunhet Interiør", "Furu & Filt", "Bordet Møbler", "Romfølelse"],
  },
  {
    code: "elektronikk", name: "Elektronikk", channels: ["phone", "chat"], scenarios: ["productAdvice", "returnItem"],
    companies: ["Kretsløp Elektronikk", "Lyspunktet", "Strømbryteren", "Skjermhuset", "Ladestasjonen", "Signalhuset", "Pikselbutikken", "Koblingen"],
  },
  {
    code: "klaer-og-sko", name: "Klær og sko", channels: ["chat", "messenger", "email"], scenarios: ["returnItem", "delivery"],
    companies: ["Ullgarnet", "Skohylla", "Vestkyst Mote", "Lune Klær", "Fottøyhuset", "Tråd og Nål", "Tursko Nord", "Motehjørnet", "Strikkeloftet"],
  },
  {
    code: "byggevare", name: "Byggevare", channels: ["phone", "chat", "email"], scenarios: ["productAdvice", "delivery"],
    companies: ["Byggeklossen", "Verktøykassa", "Spikerbua", "Plankehuset", "Murhuset", "Trelasten Nord", "Hammer & Hyvel", "Tømmerkoia Bygg", "Sagbruket"],
  },
  {
    code: "bredband-og-tv", name: "Bredbånd og TV", channels: ["phone", "chat", "messenger"], scenarios: ["broadband", "noticePeriod"],
    companies: ["Fiberlinjen", "Nettlinja", "Bredbølge", "Kanalvalget", "Fjordfiber", "Hurtignett", "Antennen TV", "Lysleder"],
  },
  {
    code: "inkasso", name: "Inkasso", channels: ["phone", "email"], scenarios: ["paymentPlan", "invoiceError"],
    companies: ["Oppgjør Inkasso", "Kravhuset", "Rettferd Inkasso", "Nordkrav", "Balanse Inkasso", "Avtalen Inkasso", "Ryddig Inkasso", "Betalingsvakta"],
  },
];

/** Companies that joined or left the study; every other company takes part every year. */
const MEMBERSHIP: Record<string, { since?: number; until?: number }> = {
  "Kvikk Strøm": { since: 2021 },
  "Raskvare": { since: 2021 },
  "Romfølelse": { since: 2021 },
  "Lyngbø Energi": { until: 2020 },
  "Dalen Bilforretning": { until: 2020 },
  "Sagbruket": { until: 2020 },
  "Lykkekjøp": { since: 2015 },
  "Fiberlinjen": { since: 2016 },
  "Ladestasjonen": { since: 2017 },
  "Kvitfjell Bank": { until: 2018 },
  "Ryddig Inkasso": { since: 2014 },
};

/** Counties from 1 January 2024 and how many of the 88 shoppers live in each (roughly by population). */
const SHOPPER_REGIONS: [string, number][] = [
  ["Oslo", 12], ["Akershus", 11], ["Østfold", 5], ["Buskerud", 5], ["Innlandet", 6],
  ["Vestfold", 4], ["Telemark", 3], ["Agder", 6], ["Rogaland", 8], ["Vestland", 9],
  ["Møre og Romsdal", 4], ["Trøndelag", 8], ["Nordland", 3], ["Troms", 2], ["Finnmark", 2],
];

/** Age bands in 2021 and how many shoppers fall in each; the youngest is 19 so that all are adults in 2020. */
const SHOPPER_AGES_2021: [number, number, number][] = [
  [19, 29, 18], [30, 39, 17], [40, 49, 16], [50, 59, 15], [60, 69, 13], [70, 80, 9],
];

const SHOPPER_GENDERS: [Gender, number][] = [["female", 44], ["male", 42], ["other", 2]];

const AGENT_NAMES = [
  "Kari", "Ola", "Åse", "Bjørn", "Mia", "Jørgen", "Sølvi", "Håkon", "Ingrid", "Siri",
  "Øyvind", "Marte", "Ståle", "Nora", "Emma", "Jonas", "Sander", "Ida", "Thea", "Magnus",
  "Kristian", "Ragnhild", "Tor", "Linnea", "Aslak", "Frøydis", "Pål", "Sigrid", "Eirik", "Hanne",
  "Trond", "Åsmund", "Mathias", "Maja", "Henrik", "Astrid", "Knut", "Solveig", "Even", "Tuva",
];

// `{agent}` starts a sentence; it becomes the agent's name, or "Kundebehandleren" when none was given.
const COMMENTS = {
  great: [
    "{agent} var svært hyggelig og tok seg god tid. Fikk et tydelig svar og visste hva neste steg var.",
    "Veldig god opplevelse!\nSpørsmålene var relevante, og svaret var akkurat det jeg trengte.",
    "Rask respons & presist svar. Dette er service jeg gjerne kommer tilbake til.",
    "{agent} var engasjert og fulgte opp med gode spørsmål. Følte meg godt ivaretatt.",
    "Profesjonelt fra start til slutt.\nFikk til og med tilbud om å bli kontaktet igjen.",
  ],
  good: [
    "Hyggelig og kunnskapsrik kundebehandler. Savnet litt mer om hva som skjer videre.",
    "Fikk et godt svar, men måtte selv spørre om neste steg.",
    "{agent} var vennlig og effektiv.\nKunne gjerne stilt flere spørsmål om behovet mitt.",
    "Greit svar med lenke til vilkårene. Litt brå avslutning.",
    "Svaret var riktig, men det sto <b>VIKTIG</b> med synlige koder midt i teksten.",
  ],
  mixed: [
    "Måtte forklare to ganger,\nmen fikk hjelp til slutt.",
    "Kort svar, \"greit nok\". Ingen spørsmål om hva jeg egentlig trengte.",
    "{agent} var høflig, men virket usikker på vilkårene.",
    "Fikk svar, men det var mye standardtekst & lite tilpasset meg.",
    "Svaret inneholdt rester av kode (<b>Viktig!</b> &nbsp;), så det så uferdig ut.\nInnholdet var stort sett riktig.",
  ],
  poor: [
    "Kundebehandleren virket stresset og ga et vagt svar.",
    "Fikk beskjed om å «sjekke nettsiden». Ikke særlig hjelpsomt.",
    "Følte meg til bry.\nSpørsmålet mitt ble ikke besvart, og ingen tilbød seg å finne ut av det.",
    "Feil informasjon om priser – måtte sjekke selv etterpå.",
    "{agent} var hyggelig nok, men kunne lite om dette og avsluttet brått.",
  ],
};

const UNANSWERED_COMMENTS: Record<Channel, string[]> = {
  phone: [
    "Kom ikke gjennom på telefon. Ga opp etter to forsøk med lang ventetid i kø.",
    "Ble satt på vent og så frakoblet, begge gangene.",
  ],
  chat: [
    "Chatten var åpen, men ingen svarte på to forsøk.",
    "Chatvinduet sa «alle kundebehandlere er opptatt» begge gangene. Kom ikke gjennom.",
  ],
  messenger: [
    "Sendte melding på Messenger to ganger, men fikk aldri svar.",
    "Fikk bare et automatisk svar på Messenger. Ingen tok kontakt.",
  ],
  email: [
    "Sendte e-post via kontaktskjemaet, men fikk aldri svar.",
    "Fikk en automatisk kvittering på e-posten, men aldri noe svar fra en person.",
  ],
};

const GREETINGS_NAMED = [
  "Hei, og takk for at du tar kontakt! Mitt navn er {agent}.",
  "Hei! Så hyggelig at du tar kontakt. Du snakker med {agent}.",
  "God dag, {agent} her. Det skal jeg gjerne hjelpe deg med!",
];
const GREETINGS_ANONYMOUS = ["Hei, og takk for at du tar kontakt!", "Hei! Så hyggelig at du tar kontakt."];
const GREETINGS_CURT = ["Hei.", "Hei, hva gjelder det?"];
const NEED_QUESTIONS = [
  "Kan du fortelle litt mer om situasjonen din, så finner vi det som passer best?",
  "Før jeg svarer: hva er viktigst for deg?",
  "For å gi deg et godt svar trenger jeg litt mer informasjon. Hvordan ser det ut hos deg?",
];
const VAGUE_ANSWERS = [
  "Det står på nettsidene våre under «Vanlige spørsmål».",
  "Det kommer an på. Du må nesten sjekke vilkårene.",
  "Jeg er ikke helt sikker, men jeg tror det skal gå bra.",
];
const CUSTOMER_PUSHBACK = ["Ok, men hva bør jeg gjøre nå?", "Skjønner. Kan du forklare litt mer?"];
const CUSTOMER_THANKS = ["Tusen takk, det var til god hjelp!", "Takk for svaret, da vet jeg det."];
const CLOSINGS_WARM = [
  "Er det noe mer jeg kan hjelpe deg med? Takk for at du tok kontakt, og ha en fin dag!",
  "Takk for henvendelsen! Bare ta kontakt igjen hvis du lurer på noe mer.",
];
const CLOSINGS_CURT = ["Ha en fin dag.", "Ok."];

// ─── Seeded randomness ──────────────────────────────────────────────────────

type Rng = () => number;

function mulberry32(state: number): Rng {
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a, to turn a seed and a purpose into an independent stream. */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

// One stream per purpose, so a year or a company does not shift when others are added.
function rngFor(seed: number, ...parts: (string | number)[]): Rng {
  return mulberry32(hash32(`${seed}|${parts.join("|")}`));
}

function intBetween(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  if (items.length === 0) throw new Error("pick from an empty list");
  return items[Math.floor(rng() * items.length)]!;
}

function chance(rng: Rng, p: number): boolean {
  return rng() < p;
}

function normal(rng: Rng): number {
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

function shuffled<T>(rng: Rng, items: readonly T[]): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function binomial(rng: Rng, n: number, p: number): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (rng() < p) k++;
  return k;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

// ─── Companies and shoppers ─────────────────────────────────────────────────

interface Company {
  index: number;
  code: string;
  name: string;
  cls: ClassSpec;
  orgNumber: string;
  since: number;
  until: number;
  /** Logit-scale quality in 2021; other years drift from it by `trend` plus noise. */
  ability: number;
  trend: number;
  /** Spread of quality between the company's inquiries (logit scale). */
  consistency: number;
  /** How quickly and reliably it answers; drives wait times and unanswered inquiries. */
  responsiveness: number;
  channelBias: Record<Channel, number>;
  agents: string[];
}

interface Shopper {
  code: string;
  gender: Gender;
  birthYear: number;
  region: string;
  /** Some shoppers score a little more kindly than others. */
  leniency: number;
}

function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/&/g, " og ")
    .replace(/æ/g, "ae")
    .replace(/ø/g, "o")
    .replace(/å/g, "a")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

// Organisation numbers belong to the company, not the seed: they never change between runs.
function orgNumberFor(code: string, taken: Set<string>): string {
  const rng = rngFor(0, "org-number", code);
  for (;;) {
    let base = chance(rng, 0.8) ? "9" : "8";
    for (let i = 0; i < 7; i++) base += String(intBetween(rng, 0, 9));
    const control = orgNumberControlDigit(base);
    const orgNumber = `${base}${control}`;
    if (control !== null && !taken.has(orgNumber)) {
      taken.add(orgNumber);
      return orgNumber;
    }
  }
}

function buildCompanies(seed: number): Company[] {
  const companies: Company[] = [];
  const orgNumbers = new Set<string>();
  for (const cls of CLASSES) {
    const classOffset = 0.25 * normal(rngFor(seed, "class", cls.code));
    for (const name of cls.companies) {
      const code = slug(name);
      const rng = rngFor(seed, "company", code);
      const ability = clamp(1.5 + classOffset + 0.45 * normal(rng), 0.4, 3.2);
      const style = rng();
      const consistency = style < 0.3 ? 0.25 : style < 0.8 ? 0.5 : 0.95;
      const channelBias = { phone: 0.1, chat: 0, messenger: -0.05, email: -0.15 };
      for (const channel of cls.channels) channelBias[channel] += 0.2 * normal(rng);
      companies.push({
        index: companies.length,
        code,
        name,
        cls,
        orgNumber: orgNumberFor(code, orgNumbers),
        since: MEMBERSHIP[name]?.since ?? Number.NEGATIVE_INFINITY,
        until: MEMBERSHIP[name]?.until ?? Number.POSITIVE_INFINITY,
        ability,
        trend: 0.07 * normal(rng),
        consistency,
        responsiveness: 0.6 * (ability - 1.5) / 0.45 + 0.8 * normal(rng),
        channelBias,
        agents: shuffled(rng, AGENT_NAMES).slice(0, intBetween(rng, 4, 7)),
      });
    }
  }
  return companies;
}

function buildShoppers(seed: number): Shopper[] {
  const rng = rngFor(seed, "shoppers");
  const expand = <T>(table: [T, number][]) => table.flatMap(([value, n]) => Array<T>(n).fill(value));
  const genders = shuffled(rng, expand(SHOPPER_GENDERS));
  const regions = shuffled(rng, expand(SHOPPER_REGIONS));
  const ages = shuffled(
    rng,
    SHOPPER_AGES_2021.flatMap(([lo, hi, n]) => Array.from({ length: n }, () => intBetween(rng, lo, hi))),
  );
  return genders.map((gender, i) => ({
    code: `S${String(i + 1).padStart(3, "0")}`,
    gender,
    birthYear: 2021 - ages[i]!,
    region: regions[i]!,
    leniency: 0.12 * normal(rng),
  }));
}

// ─── One study ──────────────────────────────────────────────────────────────

const INQUIRIES_PER_COMPANY = 25;

/** Wait limits of the study, in seconds. Email: 72 hours, within 3 working days however counted. */
const WAIT_LIMIT: Record<Channel, number> = { phone: 300, chat: 300, messenger: 1800, email: 72 * 3600 };

/** Median wait of an average company, and the log-normal spread. */
const WAIT_MEDIAN: Record<Channel, [number, number]> = {
  phone: [50, 0.7],
  chat: [35, 0.8],
  messenger: [300, 0.9],
  email: [5 * 3600, 1.0],
};

/** Upper bounds of the waits that earn 3, 2 and 1 points on the speed question. */
const SPEED_STEPS: Record<Channel, [number, number, number]> = {
  phone: [60, 120, 200],
  chat: [60, 120, 200],
  messenger: [300, 600, 1200],
  email: [4 * 3600, 24 * 3600, 48 * 3600],
};

function questionnaireFor(year: number): Questionnaire {
  const later = year >= QUESTIONNAIRE_CHANGE_YEAR;
  const areas: AreaDef[] = AREAS.map((a) => ({
    code: a.code,
    name: a.name,
    weight: later ? a.weightFrom : a.weightBefore,
  }));
  const questions: QuestionDef[] = QUESTIONS.map((q) => ({
    code: q.code,
    areaCode: q.area,
    text: later && q.textFrom ? q.textFrom : q.text,
    kind: q.kind,
    maxPoints: q.maxPoints,
    channels: q.channels ? [...q.channels] : null,
  }));
  return { areas, questions };
}

/** Weekdays from 4 January to 15 March: winter time (UTC+1) throughout, and before any Easter holiday. */
function contactDays(year: number): [month: number, day: number][] {
  const days: [number, number][] = [];
  for (let t = Date.UTC(year, 0, 4); t <= Date.UTC(year, 2, 15); t += 86_400_000) {
    const d = new Date(t);
    const weekday = d.getUTCDay();
    if (weekday !== 0 && weekday !== 6) days.push([d.getUTCMonth(), d.getUTCDate()]);
  }
  return days;
}

/** 25 channels in a fair split (9/8/8 or 13/12); which channel gets the extra one rotates. */
function channelPlan(rng: Rng, company: Company): Channel[] {
  const channels = company.cls.channels;
  const plan: Channel[] = [];
  channels.forEach((channel, i) => {
    const rank = (i - (company.index % channels.length) + channels.length) % channels.length;
    const n = Math.floor(INQUIRIES_PER_COMPANY / channels.length) + (rank < INQUIRIES_PER_COMPANY % channels.length ? 1 : 0);
    for (let k = 0; k < n; k++) plan.push(channel);
  });
  return shuffled(rng, plan);
}

function sampleWait(rng: Rng, channel: Channel, responsiveness: number): number {
  const [median, spread] = WAIT_MEDIAN[channel];
  const centre = median * Math.exp(-0.5 * responsiveness);
  // Redraw rather than clamp, so no pile of waits sits exactly on the limit.
  for (let i = 0; i < 20; i++) {
    const wait = Math.round(centre * Math.exp(spread * normal(rng)));
    if (wait >= 3 && wait <= WAIT_LIMIT[channel]) return wait;
  }
  return Math.round(WAIT_LIMIT[channel] * 0.9);
}

function speedPoints(channel: Channel, wait: number, attempts: number): number {
  const [three, two, one] = SPEED_STEPS[channel];
  const points = wait <= three ? 3 : wait <= two ? 2 : wait <= one ? 1 : 0;
  return Math.max(0, points - (attempts === 2 ? 1 : 0));
}

function formatWait(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return m === 0 ? `${s} s` : `${m} min ${s} s`;
}

function named(template: string, agent: string | null): string {
  return template.replace("{agent}", agent ?? "Kundebehandleren");
}

function commentFor(rng: Rng, quality: number, agent: string | null): string {
  const tier = quality >= 0.9 ? "great" : quality >= 0.75 ? "good" : quality >= 0.55 ? "mixed" : "poor";
  return named(pick(rng, COMMENTS[tier]), agent);
}

function dialogue(rng: Rng, scenario: Scenario, answers: Record<string, number>, agent: string | null): string {
  const lines = [`Kunde: ${scenario.ask}`];
  const greeting =
    (answers.V3 ?? 0) < 2 ? pick(rng, GREETINGS_CURT)
    : agent ? named(pick(rng, GREETINGS_NAMED), agent)
    : pick(rng, GREETINGS_ANONYMOUS);
  lines.push(`Kundebehandler: ${greeting}`);
  if ((answers.B1 ?? 0) >= 3) {
    lines.push(`Kundebehandler: ${pick(rng, NEED_QUESTIONS)}`, `Kunde: ${scenario.detail}`);
  }
  if ((answers.L1 ?? 0) >= 3) {
    lines.push(`Kundebehandler: ${scenario.answer}`, `Kunde: ${pick(rng, CUSTOMER_THANKS)}`);
  } else {
    lines.push(`Kundebehandler: ${pick(rng, VAGUE_ANSWERS)}`, `Kunde: ${pick(rng, CUSTOMER_PUSHBACK)}`);
  }
  lines.push(`Kundebehandler: ${pick(rng, (answers.A1 ?? 0) === 2 ? CLOSINGS_WARM : CLOSINGS_CURT)}`);
  return lines.join("\n");
}

function callNotes(rng: Rng, wait: number, attempts: number, answers: Record<string, number>, agent: string | null): string {
  const notes = [`Kom gjennom etter ${formatWait(wait)}${attempts === 2 ? " på andre forsøk" : ""}.`];
  notes.push(agent ? `${agent} presenterte seg med navn.` : "Kundebehandleren sa ikke navnet sitt.");
  notes.push(
    (answers.B1 ?? 0) >= 3
      ? "Stilte gode oppfølgingsspørsmål om situasjonen min."
      : "Stilte få spørsmål om hva jeg egentlig trengte.",
  );
  notes.push(
    (answers.L1 ?? 0) >= 3
      ? "Fikk et tydelig og riktig svar."
      : "Svaret var vagt, og jeg måtte spørre flere ganger.",
  );
  if ((answers.L2 ?? 0) >= 2) notes.push("Neste steg ble avtalt før vi la på.");
  if ((answers.A2 ?? 0) >= 1) notes.push("Ble spurt om det var noe mer.");
  notes.push(`Samtalen varte ca. ${intBetween(rng, 3, 12)} minutter.`);
  return notes.join("\n");
}

interface InquiryContext {
  rng: Rng;
  year: number;
  company: Company;
  ability: number;
  channel: Channel;
  shopper: Shopper;
  days: [number, number][];
}

/** The ref is left empty: it is numbered once the whole study is in time order. */
function generateInquiry({ rng, year, company, ability, channel, shopper, days }: InquiryContext): InquiryRow {
  const [month, day] = pick(rng, days);
  // Oslo is UTC+1 in winter, so 09:00–14:55 local time is 08:00–13:55 UTC.
  const contactedAt = new Date(Date.UTC(year, month, day, intBetween(rng, 9, 14) - 1, 5 * intBetween(rng, 0, 11)));
  const scenario: Scenario = SCENARIOS[pick(rng, company.cls.scenarios)];
  const shopperRow: ShopperRow = {
    code: shopper.code,
    gender: shopper.gender,
    age: year - shopper.birthYear,
    region: shopper.region,
  };

  const unansweredOdds = -2.6 - 0.45 * company.responsiveness + (channel === "messenger" ? 0.3 : channel === "email" ? 0.15 : 0);
  if (chance(rng, sigmoid(unansweredOdds))) {
    return {
      ref: "",
      participantCode: company.code,
      channel,
      shopper: shopperRow,
      scenario: scenario.text,
      contactedAt,
      attempts: channel === "email" ? 1 : 2,
      answered: false,
      waitSeconds: null,
      agentName: null,
      comment: pick(rng, UNANSWERED_COMMENTS[channel]),
      transcript: null,
      answers: {},
    };
  }

  const attempts = channel !== "email" && chance(rng, company.responsiveness < 0 ? 0.1 : 0.04) ? 2 : 1;
  const waitSeconds = sampleWait(rng, channel, company.responsiveness);
  const quality = ability + company.channelBias[channel] + shopper.leniency + company.consistency * normal(rng);

  const answers: Record<string, number> = {};
  let points = 0;
  let maxPoints = 0;
  for (const q of QUESTIONS) {
    if (q.kind !== "points" || q.maxPoints === null) continue;
    if (q.channels && !q.channels.includes(channel)) continue;
    const value = q.speed
      ? speedPoints(channel, waitSeconds, attempts)
      : binomial(rng, q.maxPoints, sigmoid(quality - q.difficulty));
    answers[q.code] = value;
    points += value;
    maxPoints += q.maxPoints;
  }
  if (chance(rng, 0.05)) {
    const optional = QUESTIONS.filter((q) => q.optional && q.code in answers);
    const dropped = pick(rng, optional);
    points -= answers[dropped.code]!;
    maxPoints -= dropped.maxPoints!;
    delete answers[dropped.code];
  }

  // The unweighted share of points stands in for how the visit felt; scoring proper lives in app/domain.
  const share = points / maxPoints;
  if (chance(rng, 0.92)) answers.CX1 = Math.round(clamp(11 * share - 0.4 + 1.4 * normal(rng), 0, 10));
  if (chance(rng, 0.88)) answers.CX2 = Math.round(clamp(0.6 + 4.6 * share + 0.6 * normal(rng), 1, 5));

  const agentName =
    channel === "phone" ? (answers.K3 === 0 ? null : pick(rng, company.agents))
    : chance(rng, 0.92) ? pick(rng, company.agents)
    : null;

  return {
    ref: "",
    participantCode: company.code,
    channel,
    shopper: shopperRow,
    scenario: scenario.text,
    contactedAt,
    attempts,
    answered: true,
    waitSeconds,
    agentName,
    comment: chance(rng, 0.85) ? commentFor(rng, share, agentName) : null,
    transcript:
      channel === "phone"
        ? callNotes(rng, waitSeconds, attempts, answers, agentName)
        : dialogue(rng, scenario, answers, agentName),
    answers,
  };
}

function generateStudy(seed: number, year: number, companies: Company[], shoppers: Shopper[]): StudyData {
  const participants = companies.filter((c) => c.since <= year && year <= c.until);
  // A shopper joins the panel in the year they turn 18.
  const panel = shoppers.filter((s) => year - s.birthYear >= 18);
  const days = contactDays(year);

  const inquiries: InquiryRow[] = [];
  for (const company of participants) {
    const rng = rngFor(seed, "inquiries", year, company.code);
    const drift = company.trend * (year - 2021) + 0.15 * normal(rngFor(seed, "drift", year, company.code));
    const ability = clamp(company.ability + drift, 0.2, 3.4);
    const plan = channelPlan(rng, company);
    // Each shopper visits a company at most once a year.
    const visitors = shuffled(rng, panel).slice(0, INQUIRIES_PER_COMPANY);
    plan.forEach((channel, i) => {
      inquiries.push(generateInquiry({ rng, year, company, ability, channel, shopper: visitors[i]!, days }));
    });
  }

  // The survey tool numbers inquiries in the order they were made.
  inquiries.sort((a, b) => a.contactedAt.getTime() - b.contactedAt.getTime());
  const prefix = `KSP${String(year % 100).padStart(2, "0")}-`;
  inquiries.forEach((inquiry, i) => {
    inquiry.ref = `${prefix}${String(i + 1).padStart(5, "0")}`;
  });

  return {
    year,
    name: `Kundeserviceprisen ${year}`,
    questionnaire: questionnaireFor(year),
    participants: participants.map(
      (c): ParticipantRow => ({
        code: c.code,
        name: c.name,
        classCode: c.cls.code,
        className: c.cls.name,
        orgNumber: c.orgNumber,
      }),
    ),
    inquiries,
  };
}

// ─── Public API ─────────────────────────────────────────────────────────────

export interface DemoOptions {
  /** Any number; the same seed gives the same data. Default 1. */
  seed?: number;
  /** Study years, 2000–2099 (refs carry two digits). Default [2020, 2021]. */
  years?: number[];
}

/** One demo study per year, in the order given. */
export function generateDemo(options: DemoOptions = {}): StudyData[] {
  const seed = options.seed ?? 1;
  const years = options.years ?? [2020, 2021];
  for (const year of years) {
    if (!Number.isInteger(year) || year < 2000 || year > 2099) {
      throw new RangeError(`Demo years must be whole years from 2000 to 2099, got ${year}`);
    }
  }
  if (new Set(years).size !== years.length) throw new RangeError("Demo years must not repeat");
  const companies = buildCompanies(seed);
  const shoppers = buildShoppers(seed);
  return years.map((year) => generateStudy(seed, year, companies, shoppers));
}
