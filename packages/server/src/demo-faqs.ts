import type { FaqExportFile } from '@loket/protocol';

/** A few FAQs for the demo channel, so `npm start` shows suggestions before the chat and a /help centre. */
export const DEMO_FAQ_FOLDER = 'Demo shop';

const faq = (question: string, answer: string, keywords: string[]): FaqExportFile['faqs'][number] => ({
  folder: DEMO_FAQ_FOLDER,
  language: 'en',
  question,
  answer,
  keywords,
  published: true,
  visibility: 'everyone',
});

export const DEMO_FAQS: FaqExportFile = {
  version: 1,
  faqs: [
    faq(
      'How long does delivery take?',
      'Orders placed on a working day before 22:00 are **delivered the next working day**. Orders to Belgium and Germany take one or two days longer.\n\nYou get an e-mail with a tracking link as soon as your parcel leaves our warehouse.',
      ['shipping', 'parcel', 'when will my order arrive'],
    ),
    faq(
      'How do I return an item?',
      'You can return anything within **30 days**:\n\n1. Sign in and open *My orders*.\n2. Choose the item and a reason.\n3. Print the label and drop the parcel at any post office.\n\nWe refund within five working days after we receive it.',
      ['refund', 'send back', 'money back'],
    ),
    faq(
      'Which payment methods can I use?',
      'We accept iDEAL, Bancontact, credit cards (Visa, Mastercard, American Express), PayPal and paying afterwards with Klarna.',
      ['pay', 'ideal', 'credit card', 'klarna'],
    ),
    faq(
      'Can I change my delivery address?',
      'Yes, until your parcel has left our warehouse. Open the order in *My orders* and choose **Change address**, or ask us in the chat.',
      ['address', 'wrong address', 'moved'],
    ),
    faq(
      'How do I track my order?',
      'Use the tracking link in your shipping e-mail, or open the order in *My orders*. Tracking starts a few hours after the parcel is handed to the carrier.',
      ['track and trace', 'where is my parcel', 'status'],
    ),
    faq(
      'What does the warranty cover?',
      'Every product has a **two-year warranty** against manufacturing defects. Damage from wear, accidents or repairs by others is not covered. Contact us with your order number and a photo of the defect.',
      ['broken', 'defect', 'guarantee', 'repair'],
    ),
  ],
};
