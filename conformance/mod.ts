/** The conformance suite: transcripts replayed against herd and Apache (a later issue). */
export {};
