package io.argus.tools.demo;

import java.nio.file.Path;
import java.util.Optional;

import io.argus.tools.Args;

/** Options of the demo stream; see {@link #USAGE}. */
record DemoOptions(String ingestUrl, String bootstrapServers, double rate, int count, int sensors, int badEvery,
                   Optional<Path> data, int settleSeconds, int label, int after, String trainerUrl,
                   String inferenceUrl, int learnTimeoutSeconds) {

    static final String USAGE = """
            demo [options]          stream Fashion-MNIST test images through ingest and watch them come out classified
              --ingest URL          ingest-service base URL (default http://127.0.0.1:8081)
              --bootstrap HOST:PORT Kafka (default 127.0.0.1:9092)
              --rate N              images per second (default 50)
              --count N             images to send (default 2000)
              --sensors N           simulated cameras (default 4)
              --bad-every N         every Nth upload is a broken file, to show refusals; 0 = never (default 250)
              --data DIR            Fashion-MNIST directory (default: Debian's if installed, else the bundled subset)
              --settle N            seconds to wait for the last results (default 60)
              --label N             then a new camera (inverted contrast) streams --after images; N of them are
                                    labeled with their true labels through the trainer's REST API (half those the
                                    model was least sure about, half at random), the training run this starts is
                                    followed, and the camera streams again; 0 = stop after the first stream
                                    (default 50)
              --after N             images the new camera streams before and after learning (default 500)
              --trainer URL         trainer-service base URL (default http://127.0.0.1:8083)
              --inference URL       inference-service base URL (default http://127.0.0.1:8082)
              --learn-timeout N     seconds to wait for the training run and the swap (default 600)""";

    static DemoOptions parse(String[] args) {
        Args a = new Args(args, USAGE);
        String ingest = a.text("--ingest", "http://127.0.0.1:8081");
        String bootstrap = a.text("--bootstrap", "127.0.0.1:9092");
        double rate = a.decimal("--rate", 50);
        int count = a.integer("--count", 2000);
        int sensors = a.integer("--sensors", 4);
        int badEvery = a.integer("--bad-every", 250);
        Optional<Path> data = a.path("--data");
        int settle = a.integer("--settle", 60);
        int label = a.integer("--label", 50);
        int after = a.integer("--after", 500);
        String trainer = a.text("--trainer", "http://127.0.0.1:8083");
        String inference = a.text("--inference", "http://127.0.0.1:8082");
        int learnTimeout = a.integer("--learn-timeout", 600);
        a.done();
        if (rate <= 0 || count <= 0 || sensors <= 0) {
            throw new IllegalArgumentException("--rate, --count and --sensors must be positive\n" + USAGE);
        }
        return new DemoOptions(ingest, bootstrap, rate, count, sensors, badEvery, data, settle, label, after, trainer,
                inference, learnTimeout);
    }
}
