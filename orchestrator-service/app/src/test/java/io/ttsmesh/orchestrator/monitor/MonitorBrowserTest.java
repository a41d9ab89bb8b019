package io.ttsmesh.orchestrator.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.ttsmesh.orchestrator.testing.KafkaBrokerResource;
import io.ttsmesh.orchestrator.testing.ScriptedMeshResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.NumberFormat;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The monitor page in a real headless Chromium (the system's: Debian packages chromium and chromium-driver),
 * driven by Selenium, against the orchestrator with scripted generator and verifier pods over gRPC: it asks a
 * question from the page and watches the search's tree grow, its pruned branches, and its answer and spend,
 * which must be those the API answered. Leaves a screenshot in target/monitor-screenshot.png.
 *
 * <p>Without Chromium this test fails (so CI cannot pass without running it); a developer without it can skip
 * it explicitly with {@code -Dttsmesh.browser-tests=skip}.
 */
@QuarkusTest
@WithTestResource(ScriptedMeshResource.class)
@WithTestResource(KafkaBrokerResource.class)
class MonitorBrowserTest {

    private static final Path CHROMIUM = Path.of(System.getProperty("ttsmesh.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("ttsmesh.chromedriver", "/usr/bin/chromedriver"));
    @jakarta.inject.Inject
    ObjectMapper json;

    private static ChromeDriver browser;
    private static Path profile;

    @TestHTTPResource("/monitor/")
    URL monitor;

    @BeforeAll
    static void startBrowser() throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String missing = "the monitor's browser test needs " + CHROMIUM + " and " + CHROMEDRIVER
                    + " (Debian: apt-get install chromium chromium-driver)";
            Assumptions.assumeFalse("skip".equals(System.getProperty("ttsmesh.browser-tests")), missing + "; skipped on request");
            fail(missing + "; to skip it knowingly: -Dttsmesh.browser-tests=skip");
        }
        profile = Files.createTempDirectory("chromium-profile");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=1440,1400", "--hide-scrollbars");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    /** A failure leaves the browser's console, the page and a screenshot behind. */
    @RegisterExtension
    static final TestWatcher DIAGNOSE = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            diagnose();
        }
    };

    @AfterEach
    void fastPods() {
        ScriptedMeshResource.generatorA.stepDelayMs(0);
        ScriptedMeshResource.generatorB.stepDelayMs(0);
        ScriptedMeshResource.generatorA.release();
        ScriptedMeshResource.generatorB.release();
    }

    /** What the page's state reads before the search has ended. */
    private static final List<String> UNDECIDED = List.of("running", "waiting", "loading", "");

    /** One sample of the page while the search runs. */
    private record Sample(long nodes, String state) {
    }

    @Test
    void aQuestionAskedFromThePageGrowsItsTreeLiveAndEndsWithTheApisAnswerAndSpend() throws Exception {
        // Branch k's step takes k x 120 ms: the 8 beams' first steps arrive one by one over about a second; the
        // second steps wait until the page has shown all eight while the search runs, however slow the machine.
        ScriptedMeshResource.generatorA.stepDelayMs(120);
        ScriptedMeshResource.generatorB.stepDelayMs(120);
        ScriptedMeshResource.generatorA.holdStepsFrom(1);
        ScriptedMeshResource.generatorB.holdStepsFrom(1);
        browser.get(monitor.toString());
        // The page re-renders rows and panels as events arrive: an element found a moment ago may be gone.
        var wait = new WebDriverWait(browser, Duration.ofSeconds(30)).ignoring(StaleElementReferenceException.class);
        wait.until(b -> b.findElement(By.id("connection")).getAttribute("class").equals("up"));
        wait.until(b -> new Select(b.findElement(By.id("ask-strategy"))).getOptions().size() > 3);

        set("ask-question", "3+4");
        new Select(browser.findElement(By.id("ask-strategy"))).selectByValue("beam_search");
        set("ask-params", "n=8 width=2");
        set("ask-policies", "");
        set("ask-tokens", "4000");
        set("ask-calls", "200");
        browser.findElement(By.cssSelector("#ask button[type=submit]")).click();

        // Poll the tree while the search runs: first up to the eight first steps, then, released, to its end.
        List<Sample> samples = new ArrayList<>();
        await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(50)).until(() -> {
            Sample s = sample();
            samples.add(s);
            return s.state().equals("running") && s.nodes() == 8 || !UNDECIDED.contains(s.state());
        });
        assertThat(samples.getLast()).as("the page while the second steps are held: %s", samples)
                .isEqualTo(new Sample(8, "running"));
        ScriptedMeshResource.generatorA.release();
        ScriptedMeshResource.generatorB.release();
        await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(50)).until(() -> {
            Sample s = sample();
            samples.add(s);
            return !UNDECIDED.contains(s.state());
        });
        List<Long> whileRunning = samples.stream().filter(s -> s.state().equals("running")).map(Sample::nodes)
                .filter(n -> n > 0).distinct().toList();
        assertThat(whileRunning).as("tree sizes seen while the search ran: %s", samples)
                .contains(8L)
                .isSortedAccordingTo(Comparator.naturalOrder());
        String finalState = samples.getLast().state();
        assertThat(finalState).isEqualTo("COMPLETED");

        // The API's answer, as the page received it from POST /v1/solve.
        wait.until(b -> !b.findElement(By.id("ask-response")).getAttribute("textContent").isBlank());
        JsonNode api = json.readTree(browser.findElement(By.id("ask-response")).getAttribute("textContent"));
        String requestId = api.get("request_id").asText();
        assertThat(api.get("answer").asText()).isEqualTo("7");
        assertThat(browser.findElement(By.id("detail-title")).getText()).isEqualTo(requestId);

        // The monitor's view (from its own event stream) matches it.
        wait.until(b -> b.findElement(By.id("result")).isDisplayed());
        NumberFormat n = NumberFormat.getIntegerInstance(Locale.US);
        assertThat(text("result-answer")).isEqualTo(api.get("answer").asText());
        assertThat(text("result-tokens")).isEqualTo(n.format(api.get("spend").get("generated_tokens").asLong()));
        assertThat(text("result-calls")).isEqualTo(n.format(api.get("spend").get("verifier_calls").asLong()));
        assertThat(browser.findElement(By.cssSelector("#budget .gauge .num")).getText())
                .startsWith(n.format(api.get("spend").get("generated_tokens").asLong()) + " / 4,000");
        // ... and so does its line in the overview.
        String row = wait.until(b -> {
            String text = b.findElement(By.cssSelector("#searches tr[data-id='" + requestId + "']")).getText();
            return text.contains("COMPLETED") ? text : null;
        });
        assertThat(row).contains("beam_search (", "n=8", "width=2", n.format(api.get("spend").get("generated_tokens").asLong()) + " / 4,000",
                n.format(api.get("spend").get("verifier_calls").asLong()) + " / 200");
        String answerCell = wait.until(b ->
                b.findElement(By.cssSelector("#searches tr[data-id='" + requestId + "'] td:last-child")).getText());
        assertThat(answerCell).isEqualTo("7");

        // The tree: 8 first steps, the 4 wrong ones pruned by beam search, forks from the 4 survivors, the
        // chosen solution's two steps highlighted, ending in the branch the API chose.
        long nodes = (Long) js("return document.querySelectorAll('#tree g.nodes g.node').length");
        assertThat(nodes).isEqualTo(16);
        List<WebElement> pruned = browser.findElements(By.cssSelector("#tree g.node.pruned"));
        assertThat(pruned).hasSize(4);
        assertThat(pruned.getFirst().findElement(By.tagName("title")).getAttribute("textContent"))
                .contains("pruned by beam_search").contains("not among the top 4 beams");
        assertThat(browser.findElements(By.cssSelector("#tree path.edge.fork"))).hasSize(4);
        List<WebElement> chosen = browser.findElements(By.cssSelector("#tree g.node.chosen"));
        assertThat(chosen).hasSize(2);
        assertThat(chosen.stream().map(e -> e.getAttribute("data-branch")))
                .contains(api.get("branch_id").asText());
        assertThat(browser.findElements(By.cssSelector("#tree path.edge.chosen"))).hasSize(2);
        assertThat(text("timeline")).contains("beam_search", "pruned 4 branches", "not among the top 4 beams");

        // Per-pod live branches come from the pods' own Describe: the test mesh's two arithmetic generators and its
        // Countdown generator, each labelled with its task.
        assertThat(browser.findElements(By.cssSelector("#pods tbody tr"))).hasSize(3);
        assertThat(text("pods")).contains("gen-a", "gen-b", "gen-countdown", "arithmetic", "countdown");

        // The whole page in one picture (Chromium's own full-page capture).
        long height = (Long) js("return document.documentElement.scrollHeight");
        Map<String, Object> capture = browser.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0, "width", 1440, "height", height, "scale", 1)));
        Path shot = Path.of("target", "monitor-screenshot.png");
        Files.write(shot, Base64.getDecoder().decode((String) capture.get("data")));
        assertThat(Files.size(shot)).isGreaterThan(10_000);
    }

    private static void diagnose() {
        if (browser == null) {
            return;
        }
        try {
            browser.manage().logs().get(LogType.BROWSER).forEach(e -> System.out.println("browser console: " + e));
            Files.writeString(Path.of("target", "monitor-failure.html"), browser.getPageSource());
            Files.write(Path.of("target", "monitor-failure.png"), browser.getScreenshotAs(OutputType.BYTES));
            System.out.println("monitor page at the failure: target/monitor-failure.html, target/monitor-failure.png");
        } catch (RuntimeException | IOException e) {
            System.out.println("no diagnostics from the browser: " + e);
        }
    }

    private Sample sample() {
        return new Sample((Long) js("return document.querySelectorAll('#tree g.nodes g.node').length"), text("detail-state"));
    }

    private Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private String text(String id) {
        // Panels are re-rendered as events arrive; read again when the element was replaced in between.
        for (int attempt = 1; ; attempt++) {
            try {
                return browser.findElement(By.id(id)).getText();
            } catch (StaleElementReferenceException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    private void set(String id, String value) {
        WebElement input = browser.findElement(By.id(id));
        input.clear();
        if (!value.isEmpty()) {
            input.sendKeys(value);
        }
    }
}
