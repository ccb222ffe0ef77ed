package org.postern.auth.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The {@code checkPublicSuffix(input, expected)} vectors of the Debian {@code publicsuffix} 20230209 package
 * ({@code test_psl.txt}), run through the list Postern uses (Guava's) and through the Debian list file itself.
 *
 * <p>Guava 33.8 bundles a newer list than the Debian 2023 snapshot. Every vector gives the same answer with both;
 * rules withdrawn upstream since 2023 do differ, and {@link #bundledListIsNewerThanTheDebianSnapshot} pins one such
 * difference so an upgrade that changes it is noticed. Production keeps the bundled list: it is the more current.</p>
 */
class PublicSuffixListVectorsTest {

    private static final Pattern VECTOR =
            Pattern.compile("^checkPublicSuffix\\((null|'([^']*)'), (null|'([^']*)')\\);");

    record Vector(int line, String input, String expected) { }

    static List<Vector> vectors() throws IOException {
        List<String> lines = Files.readAllLines(ConformanceData.publicSuffixList().resolve("test_psl.txt"),
                StandardCharsets.UTF_8);
        List<Vector> vectors = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = VECTOR.matcher(lines.get(i));
            if (m.find()) vectors.add(new Vector(i + 1, m.group(2), m.group(4)));
        }
        return vectors;
    }

    @Test
    void readsEveryActiveVector() throws IOException {
        // 82 calls in the file, 4 of them commented out ("Listed, but non-Internet, TLD").
        assertThat(vectors()).hasSize(78);
    }

    @TestFactory
    Stream<DynamicTest> bundledListGivesTheRegistrableDomainOfEveryVector() throws IOException {
        return run(PublicSuffixList.bundled());
    }

    @TestFactory
    Stream<DynamicTest> debianListFileGivesTheRegistrableDomainOfEveryVector() throws IOException {
        return run(new PublicSuffixListFile(ConformanceData.publicSuffixList().resolve("public_suffix_list.dat")));
    }

    private static Stream<DynamicTest> run(PublicSuffixList list) throws IOException {
        return vectors().stream().map(v -> DynamicTest.dynamicTest(
                "line " + v.line() + ": " + v.input() + " -> " + v.expected(),
                () -> {
                    Optional<String> got = v.input() == null ? Optional.empty() : list.registrableDomain(v.input());
                    assertThat(got).isEqualTo(Optional.ofNullable(v.expected()));
                }));
    }

    @Test
    void organizationalDomainOfAPublicSuffixIsTheNameItself() {
        OrganizationalDomain org = OrganizationalDomain.bundled();
        assertThat(org.of("co.uk")).isEqualTo("co.uk");
        assertThat(org.of("Mail.Example.CO.UK.")).isEqualTo("example.co.uk");
        assertThat(org.of("a.b.example.example")).isEqualTo("example.example");
        assertThat(org.of("www.食狮.公司.cn")).isEqualTo("xn--85x722f.xn--55qx5d.cn");
    }

    @Test
    void bundledListIsNewerThanTheDebianSnapshot() throws IOException {
        PublicSuffixList debian =
                new PublicSuffixListFile(ConformanceData.publicSuffixList().resolve("public_suffix_list.dat"));
        // "schools.nsw.edu.au" was a public suffix in 2023 and has since been removed from the list.
        assertThat(debian.registrableDomain("a.b.schools.nsw.edu.au")).contains("b.schools.nsw.edu.au");
        assertThat(PublicSuffixList.bundled().registrableDomain("a.b.schools.nsw.edu.au"))
                .contains("schools.nsw.edu.au");
    }
}
