package io.argus.ingest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import javax.imageio.ImageIO;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.argus.common.contract.ImageHeaders;
import io.argus.common.topics.Topics;
import io.argus.local.testing.KafkaBrokerResource;
import io.argus.local.testing.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class IngestContractTest {

    @Test
    void anImageIsPublishedUnchangedKeyedBySensorWithTheContractHeaders() throws Exception {
        byte[] png = image(64, 48, "png");
        try (TopicReader raw = TopicReader.fromNow(bootstrap(), Topics.RAW)) {
            ExtractableResponse<Response> answer = given()
                    .contentType("image/png")
                    .header("X-Sensor-Id", "cam-north-1")
                    .header("X-Captured-At", "2026-11-22T08:00:00Z")
                    .header("X-Argus-Meta", "{\"site\":\"north\"}")
                    .body(png)
                    .post("/api/images")
                    .then().statusCode(202)
                    .body("imageId", notNullValue())
                    .body("sensorId", equalTo("cam-north-1"))
                    .body("contentType", equalTo("image/png"))
                    .extract();

            ConsumerRecord<String, byte[]> record = raw.read(1, Duration.ofSeconds(20)).get(0);
            assertThat(record.key()).isEqualTo("cam-north-1");
            assertThat(record.value()).isEqualTo(png);
            assertThat(header(record, ImageHeaders.IMAGE_ID)).isEqualTo(answer.path("imageId"));
            assertThat(header(record, ImageHeaders.SENSOR_ID)).isEqualTo("cam-north-1");
            assertThat(header(record, ImageHeaders.CAPTURED_AT)).isEqualTo("2026-11-22T08:00:00Z");
            assertThat(header(record, ImageHeaders.CONTENT_TYPE)).isEqualTo("image/png");
            assertThat(header(record, ImageHeaders.SCHEMA_VERSION)).isEqualTo("1");
            assertThat(header(record, ImageHeaders.META)).isEqualTo("{\"site\":\"north\"}");
            assertThat(record.partition()).isEqualTo((int) answer.path("partition"));
            assertThat(record.offset()).isEqualTo(((Number) answer.path("offset")).longValue());
        }
    }

    @Test
    void withoutHeadersTheSensorIsUnknownTheTypeIsSniffedAndTheClientsIdIsKept() throws Exception {
        byte[] jpeg = image(32, 32, "jpeg");
        try (TopicReader raw = TopicReader.fromNow(bootstrap(), Topics.RAW)) {
            given().contentType("application/octet-stream").header("X-Image-Id", "my-own-id-1").body(jpeg)
                    .post("/api/images")
                    .then().statusCode(202)
                    .body("imageId", equalTo("my-own-id-1"))
                    .body("sensorId", equalTo("unknown"))
                    .body("contentType", equalTo("image/jpeg"));

            ConsumerRecord<String, byte[]> record = raw.read(1, Duration.ofSeconds(20)).get(0);
            assertThat(record.key()).isEqualTo("unknown");
            assertThat(header(record, ImageHeaders.CONTENT_TYPE)).isEqualTo("image/jpeg");
        }
    }

    @Test
    void aBatchIsPublishedAsOneRecordPerFileInUploadOrder() throws Exception {
        byte[] a = image(20, 20, "png");
        byte[] b = image(30, 20, "gif");
        byte[] c = image(20, 30, "bmp");
        try (TopicReader raw = TopicReader.fromNow(bootstrap(), Topics.RAW)) {
            given().multiPart("file", "a.png", a, "image/png")
                    .multiPart("file", "b.gif", b, "image/gif")
                    .multiPart("file", "c.bmp", c, "image/bmp")
                    .multiPart("sensorId", "drone-7")
                    .post("/api/images")
                    .then().statusCode(202)
                    .body("count", equalTo(3))
                    .body("images.file", equalTo(List.of("a.png", "b.gif", "c.bmp")))
                    .body("images.sensorId", equalTo(List.of("drone-7", "drone-7", "drone-7")));

            List<ConsumerRecord<String, byte[]>> records = raw.read(3, Duration.ofSeconds(20));
            assertThat(records).extracting(ConsumerRecord::value).containsExactly(a, b, c);
            assertThat(records).extracting(ConsumerRecord::key).containsOnly("drone-7");
        }
    }

    @Test
    void everyRefusalIsAJsonErrorWithACodeAndNothingIsPublished() throws Exception {
        byte[] png = image(40, 40, "png");
        byte[] random = new byte[2000];
        new Random(3).nextBytes(random);
        random[0] = 0;
        try (TopicReader raw = TopicReader.fromNow(bootstrap(), Topics.RAW)) {
            refused(new byte[0], "image/png", 400, "EMPTY");
            refused(new byte[300_001], "image/png", 413, "TOO_LARGE");
            refused(random, "application/octet-stream", 415, "UNSUPPORTED_FORMAT");
            refused(png, "image/jpeg", 415, "CONTENT_TYPE_MISMATCH");
            refused("hello".getBytes(StandardCharsets.UTF_8), "text/plain", 415, "UNSUPPORTED_MEDIA_TYPE");
            refused(pngHeaderOnly(100_000, 100_000), "image/png", 422, "TOO_MANY_PIXELS");
            refused(java.util.Arrays.copyOf(png, png.length / 2), "image/png", 422, "CORRUPT_IMAGE");

            given().contentType("image/png").header("X-Captured-At", "last tuesday").body(png).post("/api/images")
                    .then().statusCode(400).body("code", equalTo("INVALID_HEADER"));
            given().contentType("image/png").header("X-Sensor-Id", "cam 1; drop table").body(png).post("/api/images")
                    .then().statusCode(400).body("code", equalTo("INVALID_HEADER"));
            given().contentType("image/png").header("X-Argus-Meta", "[1,2]").body(png).post("/api/images")
                    .then().statusCode(400).body("code", equalTo("INVALID_HEADER"));

            assertThat(raw.readUntilQuiet(Duration.ofSeconds(2))).as("nothing refused reaches Kafka").isEmpty();
        }
    }

    @Test
    void aBatchWithOneBadFileIsRefusedWholeAndNamesTheFile() throws Exception {
        try (TopicReader raw = TopicReader.fromNow(bootstrap(), Topics.RAW)) {
            given().multiPart("file", "good.png", image(20, 20, "png"), "image/png")
                    .multiPart("file", "bad.png", "not an image".getBytes(StandardCharsets.UTF_8), "image/png")
                    .post("/api/images")
                    .then().statusCode(422)
                    .body("code", equalTo("BATCH_REFUSED"))
                    .body("details", hasSize(1))
                    .body("details[0].item", equalTo("bad.png"))
                    .body("details[0].code", equalTo("UNSUPPORTED_FORMAT"));

            given().multiPart("sensorId", "cam-1").post("/api/images")
                    .then().statusCode(400).body("code", equalTo("EMPTY"));

            var tooMany = given();
            for (int i = 0; i < 6; i++) {
                tooMany.multiPart("file", "f" + i + ".png", image(8, 8, "png"), "image/png");
            }
            tooMany.post("/api/images").then().statusCode(413).body("code", equalTo("TOO_MANY_FILES"));

            assertThat(raw.readUntilQuiet(Duration.ofSeconds(2))).isEmpty();
        }
    }

    private static void refused(byte[] body, String type, int status, String code) {
        given().contentType(type).body(body).post("/api/images")
                .then().statusCode(status)
                .body("code", equalTo(code))
                .body("message", notNullValue());
    }

    private static String bootstrap() {
        return KafkaBrokerResource.broker().bootstrapServers();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    static byte[] image(int w, int h, String format) throws Exception {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.YELLOW);
        g.fillOval(0, 0, w, h);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, format, out);
        return out.toByteArray();
    }

    /** A valid PNG signature and IHDR declaring {@code w x h} pixels, with no pixel data. */
    static byte[] pngHeaderOnly(int w, int h) {
        java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(17);
        ihdr.put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(w).putInt(h)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(ihdr.array());
        java.nio.ByteBuffer png = java.nio.ByteBuffer.allocate(33);
        png.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}).putInt(13).put(ihdr.array())
                .putInt((int) crc.getValue());
        return png.array();
    }
}
