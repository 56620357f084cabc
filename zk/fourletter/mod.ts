/** Four-letter words: one function per word over a read-only ServerView. */
export { FOUR_LETTER_WORDS, fourLetterCode, runFourLetterWord } from "./words.ts";
