/**
 * Kafka, MinIO and PostgreSQL in Docker containers (Testcontainers), used by
 * {@link io.tuneforge.localstack.LocalStack} in mode {@code containers}, or {@code auto} when a
 * Docker engine answers.
 *
 * <p>Deliberately small: each class starts one container and exposes it through the same
 * interface as the embedded server. The machines this project is built on have no Docker, so this
 * path is not exercised by the module's tests; the embedded servers are the tested default.
 * Containers use random host ports, so fixed ports and data directories do not apply here.
 */
package io.tuneforge.localstack.containers;
