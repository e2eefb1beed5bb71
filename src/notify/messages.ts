// Strings of the e-mails Intact sends (merged into ui/messages.ts). Dutch at B1 first; the English object
// must have every Dutch key. An e-mail never carries what a report or a message says: only that there is
// something to read, and where.

export const notifyNl = {
  "notify.footer": "Deze e-mail is automatisch verstuurd door Intact. U kunt niet op deze e-mail antwoorden.",
  // ---- to a reporter who left an address for notices ----
  "notify.mailbox.subject": "Nieuw bericht over uw melding",
  "notify.mailbox.intro": "Er staat een nieuw bericht voor u klaar over uw melding bij {organisation}.",
  "notify.mailbox.introReference": "Er staat een nieuw bericht voor u klaar over uw melding {reference} bij {organisation}.",
  "notify.mailbox.openReceipt": "Open uw postbus met uw meldingscode op:",
  "notify.mailbox.openAccount": "Log in bij Intact en open uw meldingen:",
  "notify.mailbox.noContent": "Om uw melding te beschermen, staat de inhoud van het bericht niet in deze e-mail.",
  // ---- deadline reminders to a handler ----
  "notify.reminder.ackSubjectSoon": "Herinnering: bevestig uiterlijk {due} de ontvangst van melding {reference}",
  "notify.reminder.ackSubjectOverdue": "Termijn verlopen: de ontvangst van melding {reference} is nog niet bevestigd",
  "notify.reminder.ackBodySoon": "De melder van melding {reference} moet uiterlijk {due} een ontvangstbevestiging krijgen. De wet geeft hiervoor 7 dagen na de ontvangst.",
  "notify.reminder.ackBodyOverdue": "De termijn voor de ontvangstbevestiging van melding {reference} liep af op {due}. Bevestig de ontvangst zo snel mogelijk.",
  "notify.reminder.feedbackSubjectSoon": "Herinnering: stuur uiterlijk {due} de terugkoppeling over melding {reference}",
  "notify.reminder.feedbackSubjectOverdue": "Termijn verlopen: de melder van melding {reference} wacht op terugkoppeling",
  "notify.reminder.feedbackBodySoon": "De melder van melding {reference} moet uiterlijk {due} horen wat er met de melding gebeurt. De wet geeft hiervoor 3 maanden na de ontvangstbevestiging.",
  "notify.reminder.feedbackBodyOverdue": "De termijn voor de terugkoppeling aan de melder van melding {reference} liep af op {due}. Stuur de terugkoppeling zo snel mogelijk.",
  "notify.reminder.open": "Open de melding:",
  "notify.reminder.why": "U krijgt deze herinnering omdat u meldingen van {organisation} behandelt.",
  // ---- a report handed over to the alternative recipient ----
  "notify.handedOver.subject": "Melding {reference} is aan u overgedragen",
  "notify.handedOver.body": "Melding {reference} van {organisation} gaat over iemand die zelf meldingen behandelt. Daarom is de melding aan u overgedragen: u bent de vaste ontvanger van zulke meldingen. Alleen u ziet de melding nu.",
  "notify.handedOver.noContent": "Om de melding te beschermen, staat de inhoud niet in deze e-mail.",
} as const;

export const notifyEn: Record<keyof typeof notifyNl, string> = {
  "notify.footer": "This e-mail was sent automatically by Intact. You cannot reply to this e-mail.",
  "notify.mailbox.subject": "New message about your report",
  "notify.mailbox.intro": "There is a new message for you about your report at {organisation}.",
  "notify.mailbox.introReference": "There is a new message for you about your report {reference} at {organisation}.",
  "notify.mailbox.openReceipt": "Open your mailbox with your report code at:",
  "notify.mailbox.openAccount": "Sign in to Intact and open your reports:",
  "notify.mailbox.noContent": "To protect your report, this e-mail does not contain what the message says.",
  "notify.reminder.ackSubjectSoon": "Reminder: acknowledge receipt of report {reference} by {due}",
  "notify.reminder.ackSubjectOverdue": "Deadline passed: receipt of report {reference} has not been acknowledged",
  "notify.reminder.ackBodySoon": "The reporter of report {reference} must receive an acknowledgement by {due}. The law allows 7 days after receipt.",
  "notify.reminder.ackBodyOverdue": "The deadline for acknowledging report {reference} passed on {due}. Acknowledge receipt as soon as possible.",
  "notify.reminder.feedbackSubjectSoon": "Reminder: send feedback on report {reference} by {due}",
  "notify.reminder.feedbackSubjectOverdue": "Deadline passed: the reporter of report {reference} is waiting for feedback",
  "notify.reminder.feedbackBodySoon": "The reporter of report {reference} must hear by {due} what is being done with the report. The law allows 3 months after the acknowledgement.",
  "notify.reminder.feedbackBodyOverdue": "The deadline for feedback to the reporter of report {reference} passed on {due}. Send the feedback as soon as possible.",
  "notify.reminder.open": "Open the report:",
  "notify.reminder.why": "You receive this reminder because you handle reports of {organisation}.",
  "notify.handedOver.subject": "Report {reference} has been handed over to you",
  "notify.handedOver.body": "Report {reference} of {organisation} is about someone who handles reports themselves. That is why it has been handed over to you: you are the fixed recipient of such reports. Only you see the report now.",
  "notify.handedOver.noContent": "To protect the report, this e-mail does not contain what it says.",
};
