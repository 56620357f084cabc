/**
 * zoo.cfg, myid and JVM-flag errors: the shared ConfigError (file, line, key), and the label of
 * settings that came from `-D` flags.
 *
 * @module
 */
export {
  ConfigError,
  type ConfigLocation,
  formatLocation,
  keyError,
} from "../../internal/config_error.ts";

/** The label used for settings that came from `-D` flags in SERVER_JVMFLAGS / JVMFLAGS. */
export const JVM_FLAGS_SOURCE = "SERVER_JVMFLAGS/JVMFLAGS";
