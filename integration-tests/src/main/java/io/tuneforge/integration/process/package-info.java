/**
 * Running packaged TuneForge services as child processes: {@link io.tuneforge.integration.process.ServiceProcess}
 * starts {@code <module>/target/quarkus-app/quarkus-run.jar} on a free loopback port, waits for
 * {@code /q/health/ready}, keeps its log in a file and stops it. The integration tests use it; the CLI's
 * {@code tuneforge up} needs the same (move it to a shared lib when it does).
 */
package io.tuneforge.integration.process;
