package io.tuneforge.data.rest;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.localstack.quarkus.LocalStackResource;
import io.tuneforge.storage.ArtifactStore;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static io.tuneforge.data.testing.TestDatasets.gzip;
import static io.tuneforge.data.testing.TestDatasets.instructions;
import static io.tuneforge.data.testing.TestDatasets.jsonl;
import static io.tuneforge.data.testing.TestDatasets.keysUnder;
import static io.tuneforge.data.testing.TestDatasets.lines;
import static io.tuneforge.data.testing.TestDatasets.name;
import static io.tuneforge.data.testing.TestDatasets.utf8;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every bad input of the issue gives a problem+json naming the reason, or a rejected line — and never a half-written
 * version: after each refusal the store holds nothing under {@code datasets/{name}/}.
 */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL, initArgs = {
        @ResourceArg(name = "postgres", value = "false"),
        @ResourceArg(name = "topics", value = "tuneforge.dataset.commands,tuneforge.dataset.commands.dlq,"
                + "tuneforge.dataset.events")})
class BadInputTest {

    @Inject
    ArtifactStore store;

    @TestHTTPResource("/api/datasets/")
    URI datasets;

    @Test
    void emptyFileIsEmptyInput() {
        String name = name("empty");

        refused(given().contentType("application/x-ndjson").body(new byte[0]).post("/api/datasets/" + name),
                422, "EMPTY_INPUT", "empty");

        assertEquals(List.of(), keysUnder(store, name));
    }

    @Test
    void textInNoKnownFormatIsUnknownFormatSayingWhatWasFound() {
        String name = name("prose");

        Response response = given().contentType("text/plain")
                .body(utf8("Dear team,\nplease find the training data attached.\n")).post("/api/datasets/" + name);

        refused(response, 422, "UNKNOWN_FORMAT", "Dear team");
        assertEquals(List.of(), keysUnder(store, name));
    }

    @Test
    void binaryFileIsUnknownFormat() {
        String name = name("png");
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};

        refused(given().contentType("application/octet-stream").body(png).post("/api/datasets/" + name),
                422, "UNKNOWN_FORMAT", "");

        assertEquals(List.of(), keysUnder(store, name));
    }

    @Test
    void oneBadLineAmongGoodOnesIsARejectedLineWithItsNumber() {
        String name = name("one-bad");
        List<String> good = Arrays.asList(jsonl(instructions(6, 11)).split("\n"));
        String body = String.join("\n", good.subList(0, 2)) + "\n{\"instruction\": \"no end\", \n"
                + String.join("\n", good.subList(2, 6)) + "\n";

        Response response = given().contentType("application/x-ndjson").body(utf8(body)).post("/api/datasets/" + name);

        response.then().statusCode(201);
        assertEquals(Map.of("input", 7, "train", 5, "eval", 1, "rejected", 1), response.path("counts"));
        Map<?, ?> rejected = Json.read(lines(store, ObjectKeys.datasetFile(name, 1, ObjectKeys.REJECTED_FILE)).get(0),
                Map.class);
        assertEquals(3, rejected.get("line"));
        assertEquals("invalid_json", ((Map<?, ?>) ((List<?>) rejected.get("reasons")).get(0)).get("code"));
    }

    @Test
    void aSingleLineOverTheRecordLimitIsRejectedWithoutBeingHeld() throws Exception {
        String name = name("huge-line");
        String huge = "{\"instruction\":\"" + "x".repeat(10 * 1024 * 1024 + 100) + "\",\"output\":\"y\"}";
        byte[] body = utf8(jsonl(instructions(3, 12)) + huge + "\n" + jsonl(instructions(2, 13)));

        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(datasets.resolve(name))
                        .header("Content-Type", "application/x-ndjson")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

        assertEquals(201, response.statusCode(), response.body());
        Map<?, ?> version = Json.read(response.body(), Map.class);
        assertEquals(1, ((Map<?, ?>) version.get("rejectedByReason")).get("record_too_large"));
        String line = lines(store, ObjectKeys.datasetFile(name, 1, ObjectKeys.REJECTED_FILE)).get(0);
        assertTrue(line.startsWith("{\"line\":4,"), line);
        assertTrue(line.length() < 2048, "the rejected line shows only the start of the record: " + line.length());
    }

    @Test
    void latin1BytesAreRejectedAsInvalidUtf8() {
        String name = name("latin1");
        byte[] latin1 = "{\"instruction\":\"Bonjour, ça va? Très bien\",\"output\":\"café crème\"}\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] good = utf8(jsonl(instructions(4, 14)));
        byte[] body = new byte[good.length + latin1.length];
        System.arraycopy(good, 0, body, 0, good.length);
        System.arraycopy(latin1, 0, body, good.length, latin1.length);

        Response response = given().contentType("application/x-ndjson").body(body).post("/api/datasets/" + name);

        response.then().statusCode(201);
        assertEquals(1, (int) response.path("rejectedByReason.invalid_utf8"));
        assertEquals(5, (int) response.path("counts.input"));
    }

    @Test
    void truncatedGzipIsCorruptInputAndWhatWasWrittenIsRemoved() {
        String name = name("truncated");
        byte[] whole = gzip(utf8(jsonl(instructions(3000, 15))));
        byte[] truncated = Arrays.copyOf(whole, whole.length * 2 / 3);

        Response response = given().contentType("application/gzip").body(truncated).post("/api/datasets/" + name);

        refused(response, 422, "CORRUPT_INPUT", "truncated");
        assertEquals(List.of(), keysUnder(store, name), "the claim and rejected.jsonl of pass 1 are gone");
    }

    @Test
    void everyBadSettingIsNamedAndNothingIsRead() {
        String name = name("settings");

        Response response = given().contentType("application/x-ndjson").body(utf8(jsonl(instructions(3, 16))))
                .queryParam("evalRatio", "2").queryParam("seed", "abc").queryParam("stripHtml", "maybe")
                .queryParam("evalRatoi", "0.1").queryParam("format", "chat").queryParam("parentVersion", "3")
                .post("/api/datasets/" + name);

        refused(response, 400, "INVALID_SETTINGS", "6 invalid settings");
        response.then().body("errors.path", hasItems("evalRatio", "seed", "stripHtml", "evalRatoi", "format",
                "parentVersion"));
        response.then().body("errors.find { it.path == 'evalRatoi' }.reason", containsString("did you mean 'evalRatio'?"))
                .body("errors.find { it.path == 'seed' }.reason", is("expected a whole number, got 'abc'"));
        assertEquals(List.of(), keysUnder(store, name));
        Response second = given().contentType("application/x-ndjson").body(utf8(jsonl(instructions(3, 16))))
                .queryParam("evalRatio", "2").queryParam("format", "chat").queryParam("parentVersion", "3")
                .post("/api/datasets/" + name);
        second.then().body("errors.path", hasItems("evalRatio", "format", "parentVersion"));
        String errors = second.asString();
        assertTrue(errors.contains("must be at least 0 and below 1, e.g. 0.1, got 2.0"), errors);
        assertTrue(errors.contains("unknown dataset format 'chat'"), errors);
        assertTrue(errors.contains("has no published version 3"), errors);
    }

    @Test
    void anEvalCountAboveTheRecordsIsFoundAfterReadingAndNothingIsPublished() {
        String name = name("eval-count");

        Response response = given().contentType("application/x-ndjson").body(utf8(jsonl(instructions(5, 17))))
                .queryParam("evalCount", 50).post("/api/datasets/" + name);

        refused(response, 400, "INVALID_SETTINGS", "50");
        assertEquals(List.of(), keysUnder(store, name));
    }

    @Test
    void aNameThatIsNotAKeySegmentIsABadRequest() {
        given().contentType("application/x-ndjson").body(utf8(jsonl(instructions(2, 18))))
                .post("/api/datasets/.hidden").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("detail", containsString("'.hidden' is not valid"));
        given().contentType("application/x-ndjson").body(utf8(jsonl(instructions(2, 18))))
                .post("/api/datasets/jobs").then().statusCode(405).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void aDeclaredLengthOverTheSizeLimitIs413BeforeTheBodyIsRead() throws Exception {
        String name = name("too-big");
        long size = 13L * 1024 * 1024;   // %test.quarkus.http.limits.max-body-size=12M

        String answer = rawPost(name, "Content-Length: " + size, new byte[0]);

        assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        assertTrue(answer.contains("application/problem+json"), answer);
        assertTrue(answer.contains("\"code\":\"PAYLOAD_TOO_LARGE\"") && answer.contains("13631488 bytes")
                && answer.contains("quarkus.http.limits.max-body-size"), answer);
        assertEquals(List.of(), keysUnder(store, name));
    }

    @Test
    void aChunkedBodyThatGrowsOverTheSizeLimitIs413AndNothingIsPublished() throws Exception {
        String name = name("too-big-chunked");
        byte[] piece = new byte[1 << 20];
        Arrays.fill(piece, (byte) 'x');   // one endless line: the reader skips it without holding it
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        chunk(body, utf8(jsonl(instructions(3, 19))));
        for (int i = 0; i < 13; i++) {
            chunk(body, piece);
        }
        body.write(utf8("0\r\n\r\n"));

        String answer = rawPost(name, "Transfer-Encoding: chunked", body.toByteArray());

        assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        assertTrue(answer.contains("\"code\":\"PAYLOAD_TOO_LARGE\""), answer);
        assertEquals(List.of(), keysUnder(store, name));
    }

    private static void chunk(java.io.ByteArrayOutputStream body, byte[] data) {
        body.writeBytes(utf8(Integer.toHexString(data.length) + "\r\n"));
        body.writeBytes(data);
        body.writeBytes(utf8("\r\n"));
    }

    /** Sends the request line and headers, then {@code body} as far as the server reads it; returns the answer. */
    private String rawPost(String name, String lengthHeader, byte[] body) throws Exception {
        try (java.net.Socket socket = new java.net.Socket(datasets.getHost(), datasets.getPort())) {
            socket.setSoTimeout(30_000);
            java.io.OutputStream out = socket.getOutputStream();
            out.write(utf8("POST " + datasets.getPath() + name + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/x-ndjson\r\n" + lengthHeader + "\r\n\r\n"));
            try {
                out.write(body);
                out.flush();
            } catch (java.io.IOException e) {
                // the server may answer and close before it has read everything
            }
            InputStream in = socket.getInputStream();
            java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.UTF_8).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                head.write(b);
            }
            String headers = head.toString(StandardCharsets.UTF_8);
            java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)")
                    .matcher(headers);
            byte[] answer = length.find() ? in.readNBytes(Integer.parseInt(length.group(1))) : new byte[0];
            return headers + new String(answer, StandardCharsets.UTF_8);
        }
    }

    private static void refused(Response response, int status, String code, String detailPart) {
        response.then().statusCode(status).contentType(Problem.MEDIA_TYPE)
                .body("code", is(code))
                .body("status", is(status))
                .body("detail", containsString(detailPart));
    }
}
