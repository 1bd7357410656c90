import { expect, type FrameLocator, type Locator } from '@playwright/test';

/**
 * The chat window's post-chat form (step 6), for browser tests. `frame` is `Customer.frame`.
 * Test ids: postchat, postchat-back, postchat-error, rating-star-1…5 (radio inputs), rating-comment,
 * rating-submit, rating-error, rating-thanks, transcript-email, transcript-send, transcript-error,
 * transcript-sent, new-chat. The panel sits inside `chat-ended` (Customer.ended()).
 */

export function postchat(frame: FrameLocator): Locator {
  return frame.getByTestId('postchat');
}

/** "Back to chat"; waits until the form is gone and the composer is back. */
export async function backToChat(frame: FrameLocator): Promise<void> {
  await frame.getByTestId('postchat-back').click();
  await expect(postchat(frame)).toHaveCount(0);
  await expect(frame.getByTestId('composer')).toBeEnabled();
}

/** Picks `score` stars, types the optional comment and sends; waits for the thanks. */
export async function rate(frame: FrameLocator, score: 1 | 2 | 3 | 4 | 5, comment = ''): Promise<void> {
  await frame.getByTestId(`rating-star-${score}`).check();
  if (comment) await frame.getByTestId('rating-comment').fill(comment);
  await frame.getByTestId('rating-submit').click();
  await expect(frame.getByTestId('rating-thanks')).toBeVisible();
}

/** Fills the transcript address and presses Send; the verdict is transcriptSent() or transcriptError(). */
export async function requestTranscript(frame: FrameLocator, email: string): Promise<void> {
  await frame.getByTestId('transcript-email').fill(email);
  await frame.getByTestId('transcript-send').click();
}

/** The confirmation naming the address the conversation goes to. */
export function transcriptSent(frame: FrameLocator): Locator {
  return frame.getByTestId('transcript-sent');
}

/** The error at the address field (linked to it by aria-describedby; the field has aria-invalid). */
export function transcriptError(frame: FrameLocator): Locator {
  return frame.getByTestId('transcript-error');
}
