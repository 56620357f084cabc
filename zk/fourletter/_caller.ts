/** The connection that sent a four-letter word, as far as the words need to know it. */
export interface Caller {
  /** "/127.0.0.1:54321", as ConnectionView.remote prints it. */
  readonly remote: string;
}
