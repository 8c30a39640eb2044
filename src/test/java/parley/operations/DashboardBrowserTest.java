package parley.operations;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import parley.call.CallRegistry;
import parley.simulator.CallerLine;
import parley.simulator.SimulatedCall;
import parley.support.RunningParley;
import parley.support.WatchedCall;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a real browser, Debian's headless Chromium driven through its ChromeDriver: an operator logs
 * in, watches a call appear with its transcript growing, a cut line showing what the caller heard, and its gap;
 * finds it in the history with its latency waterfall; plays and seeks its recording. Without a login, nothing.
 * Screenshots are saved in target/screenshots.
 */
@TestPropertySource(properties = {"parley.records.api-token=" + LiveFeedTest.TOKEN,
        "parley.records.operator-password=" + DashboardBrowserTest.PASSWORD, "parley.outbound.instance=watched"})
class DashboardBrowserTest extends RunningParley {

    static final String PASSWORD = "correct horse battery staple";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static ChromeDriver browser;

    @Autowired
    CallRegistry calls;

    @BeforeAll
    static void openTheBrowser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900",
                "--autoplay-policy=no-user-gesture-required", "--mute-audio");
        ChromeDriverService driver = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        browser = new ChromeDriver(driver, options);
    }

    @AfterAll
    static void closeTheBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void anOperatorWatchesACallLiveThenFindsItInTheHistoryAndPlaysItsRecording() throws Exception {
        logIn();
        String sid = "CAbrowser00000000000000000000001";
        CompletableFuture<WatchedCall> call = CompletableFuture.supplyAsync(() -> {
            try {
                return WatchedCall.place(calls, SimulatedCall.to(mediaUrl().toString()).callSid(sid)
                        .parameter("From", "+15550100888")
                        .line(CallerLine.say("Sorry, what is this call about?").intoAgent(1_500))
                        .say("We do maybe forty deliveries a week, planned in a spreadsheet.")
                        .idleHangup(Duration.ofSeconds(2)).maxDuration(Duration.ofSeconds(60)).build());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        By card = By.id("live-" + sid);
        until(b -> !b.findElements(card).isEmpty());
        until(b -> b.findElement(card).findElements(By.cssSelector(".line.agent.cut .unheard")).size() == 1);
        int linesEarly = lines(card);
        until(b -> lines(card) > linesEarly);
        until(b -> b.findElement(card).findElement(By.cssSelector(".gap")).getText().matches("gap \\d+ ms"));
        screenshot("dashboard-live.png");
        assertThat(browser.findElement(card).getText()).contains("Sorry, what is this call about?")
                .contains("barge-in");
        call.get(60, TimeUnit.SECONDS);
        until(b -> b.findElement(card).getAttribute("class").contains("ended"));

        browser.get(httpUrl("/dashboard/#history").toString());
        By row = By.cssSelector("#calls tbody tr[data-sid='" + sid + "']");
        // The record is written just after the call ends: ask again until the history has it.
        until(b -> {
            if (!b.findElements(row).isEmpty()) {
                return true;
            }
            WebElement find = b.findElement(By.cssSelector("#filters button"));
            if (find.isDisplayed()) {
                find.click();
            }
            return false;
        });
        browser.findElement(row).click();
        until(b -> b.findElement(By.id("call")).isDisplayed()
                && !b.findElements(By.cssSelector("#call .waterfall span")).isEmpty());
        List<WebElement> parts = browser.findElements(By.cssSelector("#call .waterfall span"));
        assertThat(parts).extracting(WebElement::getText).anyMatch(text -> text.startsWith("recognizer "));
        assertThat(browser.findElement(By.cssSelector("#call .gap")).getText()).matches("gap \\d+ ms = .*");

        JavascriptExecutor script = browser;
        script.executeScript("document.getElementById('recording').play()");
        until(b -> ((Number) script.executeScript("return document.getElementById('recording').currentTime"))
                .doubleValue() > 0.3);
        script.executeScript("document.getElementById('recording').currentTime = 3");
        until(b -> ((Number) script.executeScript("return document.getElementById('recording').currentTime"))
                .doubleValue() >= 3);
        screenshot("dashboard-history.png");

        browser.get(httpUrl("/dashboard/#instance").toString());
        until(b -> b.findElements(By.cssSelector("#steps tbody tr")).stream()
                .anyMatch(step -> step.getText().matches("first_audio [1-9]\\d* \\d+ \\d+ \\d+")));
        until(b -> b.findElement(By.cssSelector("#health tbody")).getText().contains("db UP"));
        assertThat(browser.findElement(By.cssSelector("#events tbody")).getText()).containsPattern("barge-in [1-9]");
        screenshot("dashboard-instance.png");
        browser.get(httpUrl("/dashboard/#campaigns").toString());
        until(b -> b.findElement(By.id("campaigns")).isDisplayed());
    }

    @Test
    void withoutALoginTheBrowserIsSentToTheLoginPageAndNothingElseIsServed() {
        browser.manage().deleteAllCookies();
        browser.get(httpUrl("/").toString());
        until(b -> b.getCurrentUrl().endsWith(Dashboard.LOGIN) && b.findElement(By.id("login-form")).isDisplayed());
        assertThat(browser.findElements(By.id("live"))).as("no dashboard").isEmpty();
        for (String path : List.of("/api/calls", "/api/live", "/api/instance", "/api/campaigns",
                Dashboard.PATH + "parley.js")) {
            Object status = browser.executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + " fetch(arguments[0]).then(r => done(r.status))", path);
            assertThat(status).as(path).isEqualTo(401L);
        }
    }

    private void logIn() {
        browser.manage().deleteAllCookies();
        browser.get(httpUrl("/").toString());
        until(b -> b.getCurrentUrl().endsWith(Dashboard.LOGIN) && b.findElement(By.id("password")).isDisplayed());
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        browser.findElement(By.cssSelector("#login-form button")).click();
        until(b -> b.findElement(By.id("live")).isDisplayed());
    }

    private int lines(By card) {
        return browser.findElement(card).findElements(By.cssSelector(".line")).size();
    }

    private static void until(Function<ChromeDriver, Boolean> condition) {
        new WebDriverWait(browser, WAIT).until(driver -> condition.apply(browser));
    }

    private static void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Files.move(browser.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOTS.resolve(name),
                StandardCopyOption.REPLACE_EXISTING);
    }
}
