package org.jamescrm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.james.GuiceJamesServer;
import org.apache.james.JamesServerExtension;
import org.apache.james.utils.WebAdminGuiceProbe;
import org.jamescrm.testing.TestMessages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The admin console on a real James with the product's configuration, clicked through in Debian's
 * headless Chromium: the quick-start story (a client mail sent, its decision found and explained, a
 * dry-run of a pasted message, the in-memory CRM's records, a parked capture replayed), a hostile
 * subject shown as text, and the headers the console is served with. Screenshots of each step are
 * kept in {@code target/console-screenshots/}.
 *
 * <p>The browser tests need {@code chromium} and {@code chromedriver} ({@code bin/test} installs them
 * on a Debian machine when it runs as root); elsewhere they are skipped, saying so. The paths can be
 * changed with {@code -Dchromium.binary=} and {@code -Dchromedriver.binary=}.
 */
class AdminConsoleEndToEndTest {
    static final String ALICE = "alice@company.example";
    static final Duration CAPTURE = Duration.ofSeconds(30);
    static final Path CHROMIUM = Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("chromedriver.binary", "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    static final Path QUICK_START_MAIL = Path.of("..", "james-config", "src", "main", "samples", "client-mail.eml");
    /** Markup a client may put in a subject; run as script, it would set window.pwned. */
    static final String HOSTILE_SUBJECT = "<img src=x onerror=\"window.pwned=1\"><script>window.pwned=2</script> & \"quotes\"";

    /** One capture per client in any 3 seconds, rounds at once: a client's second mail is parked as FLOOD. */
    @RegisterExtension
    static JamesServerExtension james = InstalledJames.withProductConfiguration()
        .edit("crm-capture.xml", xml -> xml.replace("<captureAddress>",
            "<flood><captures>1</captures><window>3 seconds</window></flood>\n  <captureAddress>"))
        .edit("mailetcontainer.xml", xml -> xml.replace("<roundWait>3 seconds</roundWait>", "<roundWait>0 s</roundWait>"))
        .extension();

    static MailClient mail;
    static WebAdminClient webAdmin;
    static URI console;
    static WebDriver browser;

    @BeforeAll
    static void connect(GuiceJamesServer server) throws Exception {
        InstalledJames.Clients clients = InstalledJames.connect(server, ALICE);
        mail = clients.mail();
        webAdmin = clients.webAdmin();
        console = URI.create("http://127.0.0.1:" + server.getProbe(WebAdminGuiceProbe.class).getWebAdminPort().getValue() + "/crm/console");
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void theConsoleShouldBeServedWithAStrictPolicyAndItsOwnContentTypes() {
        assertServed("/crm/console", "text/html");
        assertServed("/crm/console/console.js", "text/javascript");
        assertServed("/crm/console/console.css", "text/css");
        assertServed("/crm/console/favicon.svg", "image/svg+xml");
    }

    private static void assertServed(String path, String contentType) {
        HttpResponse<String> response = webAdmin.raw(path);
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).as(path).hasValueSatisfying(type -> assertThat(type).startsWith(contentType));
        assertThat(response.headers().firstValue("X-Content-Type-Options")).as(path).contains("nosniff");
        String policy = response.headers().firstValue("Content-Security-Policy").orElseThrow(() -> new AssertionError(path + ": no CSP"));
        assertThat(policy).as(path).contains("default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'")
            .doesNotContain("unsafe-inline", "unsafe-eval", "*");
    }

    @Test
    void theQuickStartStoryShouldBeClickedThrough() throws Exception {
        WebDriver page = browser();
        // the README's quick start: Carol's sample mail to Alice
        mail.send("carol@client.example", List.of(ALICE), Files.readString(QUICK_START_MAIL, StandardCharsets.UTF_8).replace("\n", "\r\n"));
        webAdmin.awaitDecision("<quote-request-1@client.example>");

        page.get(console.toString());
        await().atMost(CAPTURE).untilAsserted(() -> assertThat(page.findElement(By.id("status-fields")).getText())
            .contains("memory").contains("crm-capture (parks in var/mail/crm-capture-error)"));
        screenshot("1-status");

        // its decision in the search, then explained
        type(page.findElement(By.cssSelector("#search-form input[name=sender]")), "carol@client.example");
        page.findElement(By.id("search-button")).click();
        await().atMost(CAPTURE).untilAsserted(() -> assertThat(rows(page, "#search-results tbody tr")).hasSize(1)
            .first().satisfies(row -> assertThat(row.getText()).contains("NEW_LEAD", "saved", "<quote-request-1@client.example>")));
        screenshot("2-decision-search");
        page.findElement(By.cssSelector("#search-results tbody tr button.explain")).click();
        await().atMost(CAPTURE).untilAsserted(() -> assertThat(page.findElement(By.id("decision-view")).getText())
            .contains("saved on a new lead: the CRM does not know the client", "carol@client.example", "mailbox-owner"));
        screenshot("3-decision-explained");

        // a dry-run of a message pasted as text
        WebElement form = page.findElement(By.id("dry-run-form"));
        type(form.findElement(By.name("sender")), "dave@client.example");
        type(form.findElement(By.name("recipients")), ALICE);
        type(form.findElement(By.name("message")), TestMessages.plain("Dave Client <dave@client.example>", ALICE, "<dry-1@client.example>", "",
            "Desks for the new office", "Could you quote 12 desks?").replace("\r\n", "\n"));
        page.findElement(By.id("dry-run-button")).click();
        await().atMost(CAPTURE).untilAsserted(() -> assertThat(page.findElement(By.id("dry-run-view")).getText())
            .contains("saved on a new lead: the CRM does not know the client", "Desks for the new office", "LEAD"));
        screenshot("4-dry-run", page.findElement(By.id("dry-run-view")));
        assertThat(webAdmin.decisions("<dry-1@client.example>")).as("a dry-run records nothing").isEmpty();
        // ... and of the quick start's .eml uploaded: Carol's mail is in the CRM already
        type(form.findElement(By.name("sender")), "carol@client.example");
        form.findElement(By.name("message")).clear();
        form.findElement(By.name("file")).sendKeys(QUICK_START_MAIL.toAbsolutePath().normalize().toString());
        page.findElement(By.id("dry-run-button")).click();
        await().atMost(CAPTURE).untilAsserted(() -> assertThat(page.findElement(By.id("dry-run-view")).getText())
            .contains("not saved again: this message is already in the CRM", "DUPLICATE", "<quote-request-1@client.example>"));
        screenshot("4-dry-run-upload", page.findElement(By.id("dry-run-view")));

        // the in-memory CRM's records
        page.findElement(By.id("crm-refresh")).click();
        await().atMost(CAPTURE).untilAsserted(() -> assertThat(page.findElement(By.cssSelector("#crm-records [data-kind=leads]")).getText())
            .contains("Quote for 40 office chairs", "carol@client.example"));
        screenshot("5-crm-records", page.findElement(By.id("crm")));

        // a capture parked as a flood, replayed from the console
        mail.send("kim@client.example", List.of(ALICE), TestMessages.plain("kim@client.example", ALICE, "<kim-1@client.example>", "", "First", "One."));
        webAdmin.awaitDecision("<kim-1@client.example>");
        mail.send("kim@client.example", List.of(ALICE), TestMessages.plain("kim@client.example", ALICE, "<kim-2@client.example>", "", "Second", "Two."));
        await().atMost(CAPTURE).untilAsserted(() -> assertThat(webAdmin.parked()).hasSize(1));
        page.findElement(By.id("parked-refresh")).click();
        await().atMost(CAPTURE).untilAsserted(() -> assertThat(page.findElement(By.id("parked-queues")).getText())
            .contains("crm-capture: 1 parked", "kim@client.example", "FLOOD"));
        screenshot("6-parked", page.findElement(By.id("parked")));
        // the flood window (3 seconds) passes before the replay can capture it
        await().pollDelay(Duration.ofSeconds(3)).pollInterval(Duration.ofSeconds(2)).atMost(CAPTURE).untilAsserted(() -> {
            List<WebElement> replay = rows(page, "#parked-queues button.replay");
            if (!replay.isEmpty()) {
                replay.get(0).click();
            }
            assertThat(webAdmin.memory("activities", activity -> activity.path("messageId").asText().equals("<kim-2@client.example>"))).hasSize(1);
        });
        await().atMost(CAPTURE).untilAsserted(() -> assertThat(page.findElement(By.id("parked-queues")).getText()).contains("crm-capture: 0 parked"));
        assertThat(page.findElement(By.id("error")).isDisplayed()).as(page.findElement(By.id("error")).getText()).isFalse();
        screenshot("7-replayed", page.findElement(By.id("parked")));
        assertNothingRefused(page);
    }

    @Test
    void aHostileSubjectShouldBeShownAsText() throws Exception {
        WebDriver page = browser();
        mail.send("mallory@client.example", List.of(ALICE), TestMessages.plain("Mallory <mallory@client.example>", ALICE,
            "<hostile-1@client.example>", "", HOSTILE_SUBJECT, "Hello."));
        webAdmin.awaitDecision("<hostile-1@client.example>");

        page.get(console.toString());
        await().atMost(CAPTURE).untilAsserted(() -> assertThat(rows(page, "#crm-records [data-kind=leads] td"))
            .extracting(WebElement::getText).contains(HOSTILE_SUBJECT));
        screenshot("8-hostile-subject", page.findElement(By.cssSelector("#crm-records [data-kind=leads]")));

        assertThat(rows(page, "#crm-records img, #crm-records script")).as("no markup of the subject in the page").isEmpty();
        assertThat(((JavascriptExecutor) page).executeScript("return window.pwned === undefined")).isEqualTo(true);
        assertNothingRefused(page);
    }

    /** The browser, started once: Debian's chromium through its chromedriver, headless, with a fresh profile. */
    private static synchronized WebDriver browser() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
            "Browser test skipped: " + CHROMIUM + " or " + CHROMEDRIVER + " is missing (Debian packages chromium and chromium-driver; "
                + "bin/test installs them when run as root)");
        if (browser == null) {
            Path profile = Files.createTempDirectory("console-chromium");
            ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--window-size=1400,1100", "--user-data-dir=" + profile);
            // the browser's console, where Chromium reports what the Content-Security-Policy refused
            options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
            ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
            browser = new ChromeDriver(service, options);
        }
        return browser;
    }

    /** The browser's console holds no error: no script, style or request refused by the policy, no failed call. */
    private static void assertNothingRefused(WebDriver page) {
        assertThat(page.manage().logs().get(LogType.BROWSER).getAll()).extracting(LogEntry::getMessage)
            .noneMatch(message -> message.contains("Content Security Policy") || message.contains("Refused"))
            .noneMatch(message -> message.contains("Failed to load") || message.contains("Uncaught"));
    }

    private static List<WebElement> rows(WebDriver page, String selector) {
        return page.findElements(By.cssSelector(selector));
    }

    private static void type(WebElement field, String text) {
        field.clear();
        field.sendKeys(text);
    }

    /** A screenshot with {@code shown} scrolled to the top of the window. */
    private static void screenshot(String name, WebElement shown) throws IOException {
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView()", shown);
        screenshot(name);
    }

    private static void screenshot(String name) throws IOException {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
