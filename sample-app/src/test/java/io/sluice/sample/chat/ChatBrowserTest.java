package io.sluice.sample.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The page in a real headless Chromium: two people join a room in two browsers, see each other arrive, chat,
 * see markup shown as text, read the history after a reload, and get back into the room after a dropped
 * connection. A screenshot of the first browser is left in {@code target/chat-e2e.png}.
 *
 * <p>Runs on Debian's {@code chromium} and {@code chromedriver} (CI installs them). Without them the test is
 * skipped on a developer's machine, and fails in CI ({@code CI} set), where it must run.
 */
@ChatServerTest
class ChatBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Path SCREENSHOT = Path.of("target", "chat-e2e.png");
    private static final String ROOM = "e2e";

    @LocalServerPort
    int port;

    private WebDriver ada;
    private WebDriver grace;

    @BeforeEach
    void startBrowsers() {
        Optional<Path> chromium = executable("chromium");
        Optional<Path> chromedriver = executable("chromedriver");
        if (chromium.isEmpty() || chromedriver.isEmpty()) {
            if (System.getenv("CI") != null) {
                fail("chromium and chromedriver must be installed in CI (see .ci/run)");
            }
            assumeTrue(false, "chromium and chromedriver are not installed; skipping the browser test");
        }
        ChromeOptions options = new ChromeOptions()
                .setBinary(chromium.get().toFile())
                // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                        "--disable-extensions", "--window-size=1200,760");
        // One driver process per browser: quitting a browser stops its driver.
        ada = new ChromeDriver(driverService(chromedriver.get()), options);
        grace = new ChromeDriver(driverService(chromedriver.get()), options);
    }

    @AfterEach
    void stopBrowsers() {
        Stream.of(ada, grace).filter(driver -> driver != null).forEach(WebDriver::quit);
    }

    private static ChromeDriverService driverService(Path chromedriver) {
        return new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort()
                .withTimeout(WAIT)
                .build();
    }

    @Test
    void twoPeopleChatInTheirBrowsers() throws Exception {
        join(ada, "ada");
        await(ada, "ada to see herself in the room", members(List.of("ada")));
        join(grace, "grace");
        await(ada, "ada to see grace arrive", members(List.of("ada", "grace")));
        await(grace, "grace to see ada", members(List.of("ada", "grace")));
        assertThat(ada.findElement(By.id("status")).getText()).isEqualTo("Connected to #e2e as ada");

        say(ada, "Hello Grace!");
        await(grace, "grace to read ada's message", lastMessage("ada", "Hello Grace!"));

        String markup = "<img src=x onerror=\"document.title='pwned'\"> <b>not bold</b>";
        say(grace, markup);
        await(ada, "ada to read grace's message as text", lastMessage("grace", markup));
        assertThat(ada.findElements(By.cssSelector("#messages img, #messages b"))).as("no markup rendered").isEmpty();
        assertThat(ada.getTitle()).isEqualTo("Sluice chat");

        // A newcomer reads what was said before over HTTP: the history.
        grace.navigate().refresh();
        join(grace, "grace");
        await(grace, "grace to see the history after a reload", lastMessage("grace", markup));
        assertThat(grace.findElements(By.cssSelector("#messages li[data-id]"))).hasSize(2);

        // The connection drops: the page reconnects by itself, and the room sees ada leave and come back.
        ((JavascriptExecutor) ada).executeScript("chat.socket.close(4000, 'dropped by the test')");
        await(grace, "grace to see ada leave and come back", browser -> {
            List<String> notices = texts(browser, "#messages li.notice .text");
            return notices.size() >= 2 && notices.subList(notices.size() - 2, notices.size())
                    .equals(List.of("ada left", "ada joined"));
        });
        say(ada, "I'm back");
        await(grace, "grace to read ada after her reconnection", lastMessage("ada", "I'm back"));

        Files.createDirectories(SCREENSHOT.getParent());
        Files.write(SCREENSHOT, ((ChromeDriver) ada).getScreenshotAs(OutputType.BYTES));
        assertThat(SCREENSHOT).isNotEmptyFile();

        grace.findElement(By.id("leave")).click();
        await(ada, "ada to see grace leave", members(List.of("ada")));
    }

    private void join(WebDriver browser, String name) {
        browser.get("http://127.0.0.1:" + port + "/");
        WebElement room = browser.findElement(By.id("room"));
        room.clear();
        room.sendKeys(ROOM);
        browser.findElement(By.id("name")).sendKeys(name);
        browser.findElement(By.id("join")).click();
    }

    private static void say(WebDriver browser, String text) {
        WebElement input = browser.findElement(By.id("text"));
        new WebDriverWait(browser, WAIT).until(driver -> input.isEnabled());
        input.sendKeys(text);
        browser.findElement(By.id("send")).click();
    }

    private static ExpectedCondition<Boolean> members(List<String> expected) {
        return browser -> expected.equals(texts(browser, "#members li"));
    }

    private static ExpectedCondition<Boolean> lastMessage(String from, String text) {
        return browser -> {
            List<String> froms = texts(browser, "#messages li[data-id] .from");
            List<String> texts = texts(browser, "#messages li[data-id] .text");
            return !froms.isEmpty() && froms.get(froms.size() - 1).equals(from) && texts.get(texts.size() - 1).equals(text);
        };
    }

    /** The text of every element that matches, read in one script: the page may replace them at any time. */
    @SuppressWarnings("unchecked")
    private static List<String> texts(WebDriver browser, String selector) {
        return (List<String>) ((JavascriptExecutor) browser).executeScript(
                "return Array.from(document.querySelectorAll(arguments[0]), element => element.textContent)", selector);
    }

    private static void await(WebDriver browser, String what, ExpectedCondition<Boolean> condition) {
        new WebDriverWait(browser, WAIT).withMessage("waiting for " + what).until(condition);
    }

    private static Optional<Path> executable(String name) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(directory -> !directory.isEmpty())
                .map(directory -> Path.of(directory, name))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
