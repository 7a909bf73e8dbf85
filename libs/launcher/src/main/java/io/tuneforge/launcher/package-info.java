/**
 * Running TuneForge's packaged services as child processes, shared by the integration tests and {@code tuneforge up}:
 * {@link io.tuneforge.launcher.ServiceProcess} starts {@code <module>/target/quarkus-app/quarkus-run.jar} on a
 * loopback port (attached, or {@linkplain io.tuneforge.launcher.Detached detached} so it outlives the CLI), waits for
 * {@code /q/health/ready}, keeps its log in a file and stops it; {@link io.tuneforge.launcher.PidFile} records a
 * detached process so a later command can find, check and stop it. JDK only.
 */
package io.tuneforge.launcher;
