package org.postern.admin;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.postern.testsupport.TestGateway;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console in a real browser (Debian chromium through chromium-driver): log in, find a refused message by the
 * reference from its SMTP reply and read its chain, release a quarantined message and see it delivered, change an
 * allow list, and a tenant admin who cannot reach another tenant's pages. Saves screenshots of the main pages (see
 * {@link #SHOTS}). Skipped only outside CI when chromium is not installed.
 */
class ConsoleBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    /** Where screenshots go: target/ by default, so a test run leaves the tree clean; README's come from -Dpostern.screenshots=docs/screenshots. */
    private static final Path SHOTS = Path.of(System.getProperty("postern.screenshots", "target/screenshots"));

    @TempDir static Path dir;
    static AdminFixture f;
    static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        boolean ci = "true".equals(System.getenv("CI"));
        Assumptions.assumeTrue(ci || (Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER)),
                "chromium and chromium-driver are not installed (apt install chromium chromium-driver)");
        f = new AdminFixture(dir);
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,900",
                        "--user-data-dir=" + dir.resolve("chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
        browser.manage().window().setSize(new Dimension(1280, 900));
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.quit();
        if (f != null) f.close();
    }

    @Test
    void tenantAdminFindsARefusalReleasesHeldMailAndCannotReachAnotherTenant() {
        var refused = f.gw.send("client.example.org", "sender@example.org", "carol@contoso.test",
                TestGateway.wellFormed("sender@example.org", "Subject: hi\r\n\r\nhello\r\n"));
        assertThat(refused.toString()).contains("550 5.1.1");
        String ref = TestGateway.ref(refused);
        var held = f.gw.send("client.example.org", "billing@example.org", "alice@contoso.test",
                TestGateway.wellFormed("billing@example.org", "Subject: [hold] Invoice 2291\r\nContent-Type: text/html\r\n\r\n"
                        + "<p>Please pay <img src=\"http://tracker.invalid/p.gif\"> <script>document.title='pwned'</script>today.</p>\r\n"));
        String heldRef = TestGateway.ref(held);

        logIn("admin@contoso.test", "admin-pass-1");
        assertThat(arrivedAt("/t/contoso/trace")).endsWith("/t/contoso/trace");
        shot("trace");

        browser.findElement(By.name("ref")).sendKeys(ref);
        browser.findElement(By.cssSelector("form.search button")).click();
        String chain = shown(By.cssSelector("ol.timeline")).getText();
        assertThat(browser.getCurrentUrl()).endsWith("/t/contoso/messages/" + ref);
        assertThat(chain).contains("RCPT");
        assertThat(browser.findElement(By.cssSelector("dl.facts")).getText()).contains("550 5.1.1", "Rejected");
        shot("message-detail");

        browser.get(f.base() + "/t/contoso/quarantine");
        browser.findElement(By.linkText("[hold] Invoice 2291")).click();
        String preview = shown(By.cssSelector("pre.preview")).getText();
        assertThat(preview).contains("Please pay").contains("today.");
        assertThat(browser.getTitle()).doesNotContain("pwned");
        assertThat(browser.findElements(By.tagName("img"))).isEmpty();
        shot("quarantine-preview");
        browser.findElement(By.xpath("//button[normalize-space()='Release to the recipients']")).click();
        assertThat(shown(By.cssSelector("p.notice")).getText()).contains("Released " + heldRef);

        String status = "";
        for (int i = 0; i < 50 && !status.equals("Delivered"); i++) {
            TestGateway.sleep(200);
            browser.get(f.base() + "/t/contoso/messages/" + heldRef);
            status = browser.findElement(By.cssSelector("dl.facts .status")).getText();
        }
        assertThat(status).isEqualTo("Delivered");
        assertThat(browser.findElement(By.cssSelector("ol.timeline")).getText()).contains("quarantine.released: by admin@contoso.test");

        browser.get(f.base() + "/t/contoso/settings");
        WebElement add = browser.findElements(By.cssSelector("form.add")).get(0);
        add.findElement(By.name("cidr")).sendKeys("203.0.113.0/24");
        add.findElement(By.name("expires")).sendKeys("2030-01-01T00:00:00Z");
        add.findElement(By.name("comment")).sendKeys("partner relay");
        add.findElement(By.tagName("button")).click();
        assertThat(shown(By.cssSelector("p.notice")).getText()).contains("ip-allow add 203.0.113.0/24");
        assertThat(browser.findElement(By.tagName("table")).getText()).contains("203.0.113.0/24", "2030-01-01T00:00:00Z");
        shot("settings");
        browser.get(f.base() + "/t/contoso/audit");
        assertThat(browser.findElement(By.tagName("table")).getText()).contains("admin@contoso.test", "ip-allow add 203.0.113.0/24");

        browser.get(f.base() + "/t/fabrikam/trace");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Error 404");
        browser.get(f.base() + "/t/fabrikam/quarantine");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Error 404");
        browser.get(f.base() + "/dashboard");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Error 403");

        browser.get(f.base() + "/t/contoso/trace");
        browser.findElement(By.xpath("//button[normalize-space()='Log out']")).click();
        assertThat(arrivedAt("/login")).endsWith("/login");
        logIn("", f.operator);
        assertThat(arrivedAt("/dashboard")).endsWith("/dashboard");
        assertThat(browser.findElement(By.tagName("svg")).getAttribute("aria-label")).isEqualTo("messages per hour by verdict");
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("contoso", "fabrikam", "Queue depth");
        shot("dashboard");
    }

    private static void logIn(String email, String password) {
        browser.get(f.base() + "/login");
        if (!email.isEmpty()) browser.findElement(By.name("email")).sendKeys(email);
        browser.findElement(By.name("password")).sendKeys(password);
        browser.findElement(By.cssSelector("form button")).click();
    }

    private static void shot(String name) {
        try {
            File png = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
            Files.copy(png.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (Exception e) {
            throw new AssertionError("screenshot " + name + ": " + e, e);
        }
    }

    /** The element once the page a click navigated to has it: a loaded machine renders later than the click returns. */
    private static WebElement shown(By what) {
        for (int i = 0; i < 100; i++) {
            var found = browser.findElements(what);
            if (!found.isEmpty()) return found.getFirst();
            TestGateway.sleep(100);
        }
        return browser.findElement(what); // fails naming the element and the page
    }

    /** The URL once the browser has followed a click to a page ending with {@code suffix} (or the last one, to fail on). */
    private static String arrivedAt(String suffix) {
        for (int i = 0; i < 100 && !browser.getCurrentUrl().endsWith(suffix); i++) TestGateway.sleep(100);
        return browser.getCurrentUrl();
    }
}
