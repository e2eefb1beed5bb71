import { casesEn, casesNl } from "./messages/cases.ts";
import { intakeEn, intakeNl } from "./messages/intake.ts";

// The reporting desk's strings (merged into ui/messages.ts). Dutch at B1, the reader addressed as "u" on
// public pages. The English object must have every Dutch key.

const sharedNl = {
  "report.categoryRequired": "Kies waar uw melding over gaat.",
  "report.descriptionRequired": "Beschrijf wat er is gebeurd.",
  "report.modeRequired": "Kies hoe u bekend wilt zijn.",
  "report.nameRequired": "Vul uw naam in.",
  "report.messageRequired": "Schrijf een bericht.",
  "report.noteRequired": "Schrijf een notitie.",
  "report.receiptRequired": "Vul uw meldingscode in.",
  "report.receiptFormat": "Een meldingscode bestaat uit 16 cijfers, zoals 1234 5678 9012 3456.",
  "report.receiptUnknown": "Deze meldingscode kennen wij niet. Controleer de cijfers en probeer het opnieuw.",
  "report.unitUnknown": "Kies een afdeling uit de lijst.",
  "report.noAlternativeRecipient": "Uw organisatie heeft nog niemand aangewezen die meldingen over behandelaars ontvangt. Meld dit daarom bij het Huis voor Klokkenluiders of praat eerst met een vertrouwenspersoon.",
  "report.anonymousSignedIn": "U bent ingelogd. Anoniem melden kan alleen zonder in te loggen, via het openbare meldformulier.",
  "report.closedNoMessages": "Deze melding is afgesloten. U kunt geen nieuw bericht sturen.",
  "report.tooMany": "Er zijn te veel pogingen gedaan. Wacht een uur en probeer het dan opnieuw.",
  "report.changedMeanwhile": "Iemand anders heeft deze melding net gewijzigd. Bekijk de melding opnieuw.",
  "report.actionNotAllowed": "Deze stap kan nu niet bij deze melding.",
  "report.ackText": "Wij hebben uw melding {reference} ontvangen op {received}. Wij bekijken nu wat er moet gebeuren. Uiterlijk op {due} laten wij u weten wat wij met uw melding doen. Heeft u nog informatie? Stuur dan een bericht via deze pagina.",
  "report.approvedByRequired": "Vul in wie toestemming gaf.",
  "report.approvedOnRequired": "Vul in op welke datum de toestemming is gegeven.",
  "report.reasonRequired": "Vul de reden in.",
  "report.findingsRequired": "Vul per verwijt in wat het onderzoek heeft vastgesteld.",
  "report.feedbackFirst": "Stuur eerst een terugkoppeling aan de melder. Daarna kunt u de melding afsluiten.",
  "report.acknowledgeFirst": "Bevestig eerst de ontvangst van de melding.",
  "report.assigneeInvalid": "Kies iemand uit de lijst.",
} as const;

const sharedEn: Record<keyof typeof sharedNl, string> = {
  "report.categoryRequired": "Choose what your report is about.",
  "report.descriptionRequired": "Describe what happened.",
  "report.modeRequired": "Choose how you want to be known.",
  "report.nameRequired": "Enter your name.",
  "report.messageRequired": "Write a message.",
  "report.noteRequired": "Write a note.",
  "report.receiptRequired": "Enter your report code.",
  "report.receiptFormat": "A report code has 16 digits, like 1234 5678 9012 3456.",
  "report.receiptUnknown": "We do not know this report code. Check the digits and try again.",
  "report.unitUnknown": "Choose a department from the list.",
  "report.noAlternativeRecipient": "Your organisation has not yet appointed anyone to receive reports about handlers. Please report this to the Dutch Whistleblowers Authority (Huis voor Klokkenluiders) or first talk to a confidential advisor.",
  "report.anonymousSignedIn": "You are signed in. Reporting anonymously is only possible without signing in, through the public report form.",
  "report.closedNoMessages": "This report is closed. You cannot send a new message.",
  "report.tooMany": "There have been too many attempts. Wait an hour and try again.",
  "report.changedMeanwhile": "Someone else has just changed this report. Open the report again.",
  "report.actionNotAllowed": "This step is not possible for this report now.",
  "report.ackText": "We received your report {reference} on {received}. We are now looking at what needs to happen. By {due} at the latest we will tell you what we are doing with your report. Do you have more information? Send a message through this page.",
  "report.approvedByRequired": "Enter who gave approval.",
  "report.approvedOnRequired": "Enter the date of the approval.",
  "report.reasonRequired": "Enter the reason.",
  "report.findingsRequired": "Enter for each allegation what the investigation established.",
  "report.feedbackFirst": "First send feedback to the reporter. Then you can close the report.",
  "report.acknowledgeFirst": "First acknowledge receipt of the report.",
  "report.assigneeInvalid": "Choose someone from the list.",
};

export const reportsNl = { ...sharedNl, ...intakeNl, ...casesNl };
export const reportsEn: Record<keyof typeof reportsNl, string> = { ...sharedEn, ...intakeEn, ...casesEn };
