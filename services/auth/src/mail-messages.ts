import type { OutgoingMail } from "./mailer.ts";

const minutes = 10;

export function verificationMail(to: string, code: string): OutgoingMail {
  return {
    to,
    subject: "Your Kino verification code",
    text: `Your Kino verification code is ${code}\n\nIt works once, for ${minutes} minutes. If you did not sign up for Kino, ignore this mail.\n`,
  };
}

export function signInCodeMail(to: string, code: string): OutgoingMail {
  return {
    to,
    subject: "Your Kino sign-in code",
    text: `Your Kino sign-in code is ${code}\n\nIt works once, for ${minutes} minutes. If you did not ask to sign in, ignore this mail: nobody can sign in without it.\n`,
  };
}

/** Sign-up for an address that already has an account: told to the mailbox, never to the caller. */
export function alreadyRegisteredMail(to: string): OutgoingMail {
  return {
    to,
    subject: "Your Kino account",
    text: "Someone tried to sign up for Kino with this address, which already has an account. Sign in with your password or ask for a sign-in code. If it was not you, nothing changed.\n",
  };
}

export function passwordResetMail(to: string, code: string): OutgoingMail {
  return {
    to,
    subject: "Your Kino password reset code",
    text: `Your Kino password reset code is ${code}\n\nIt works once, for ${minutes} minutes. If you did not ask to reset your password, ignore this mail: your password stays as it is.\n`,
  };
}

/** After a reset: the owner learns of it even when someone else did it. */
export function passwordChangedMail(to: string): OutgoingMail {
  return {
    to,
    subject: "Your Kino password was changed",
    text: "The password of your Kino account was just reset with a code sent to this address, and every session was signed out. If it was not you, reset it again now.\n",
  };
}
