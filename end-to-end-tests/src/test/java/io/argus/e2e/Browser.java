package io.argus.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.argus.common.testing.Tools;

/**
 * A real headless Chromium (Debian's {@code chromium}, driven through Debian's
 * {@code chromedriver}), with screenshots saved under {@code target/screenshots} as artefacts.
 * Found on PATH (or named by {@code ARGUS_CHROMIUM} and {@code ARGUS_CHROMEDRIVER}); without them
 * the test is skipped, and says so at the end of the build, unless {@code ARGUS_REQUIRE_BROWSER=1} (CI).
 */
final class Browser implements AutoCloseable {

    /** Debian's chromium, or another Chromium or Chrome on PATH; ARGUS_CHROMIUM names one. */
    private static final java.util.Optional<Path> CHROMIUM = Tools.find("ARGUS_CHROMIUM", "chromium",
            "chromium-browser", "google-chrome", "google-chrome-stable");
    private static final java.util.Optional<Path> DRIVER = Tools.find("ARGUS_CHROMEDRIVER", "chromedriver");

    final ChromeDriver driver;
    private final Path screenshots;
    private int shots;

    private Browser(Path screenshots) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.orElseThrow().toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,1000", "--no-first-run", "--disable-extensions");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.orElseThrow().toFile())
                .usingAnyFreePort().build();
        this.driver = new ChromeDriver(service, options);
        this.screenshots = screenshots;
    }

    /** A browser, or the test skipped (failed under {@code ARGUS_REQUIRE_BROWSER=1}) when none is installed. */
    static Browser start(Path screenshots) throws IOException {
        boolean required = "1".equals(System.getenv("ARGUS_REQUIRE_BROWSER"));
        if (CHROMIUM.isEmpty() || DRIVER.isEmpty()) {
            String missing = (CHROMIUM.isEmpty() ? "chromium " : "") + (DRIVER.isEmpty() ? "chromedriver" : "");
            assertThat(required).as(missing.trim() + " not on PATH (apt-get install chromium chromium-driver)").isFalse();
            assumeTrue(false, missing.trim() + " not on PATH (nor named by ARGUS_CHROMIUM, ARGUS_CHROMEDRIVER); "
                    + ".ci/run installs chromium and chromium-driver");
        }
        Files.createDirectories(screenshots);
        return new Browser(screenshots);
    }

    WebElement find(String id) {
        return driver.findElement(By.id(id));
    }

    String text(String id) {
        return find(id).getText();
    }

    /** Waits until the element's text satisfies the condition; returns that text. */
    String awaitText(String id, java.util.function.Predicate<String> condition, String what) {
        new WebDriverWait(driver, Duration.ofSeconds(30)).withMessage(() -> what + "; #" + id + " shows '" + text(id)
                + "', the page says '" + text("message") + "'").until(d -> condition.test(text(id)));
        return text(id);
    }

    Object script(String js, Object... args) {
        return driver.executeScript(js, args);
    }

    /** Saves a numbered screenshot. */
    Path screenshot(String name) throws IOException {
        File png = driver.getScreenshotAs(OutputType.FILE);
        Path target = screenshots.resolve(String.format("%02d-%s.png", ++shots, name));
        Files.copy(png.toPath(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    @Override
    public void close() {
        driver.quit();
    }
}
