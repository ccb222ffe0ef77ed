package org.postern.content;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 8-bit text whose charset nobody declared, as Chinese, Japanese, Korean and Russian mail often comes (the charset
 * parameter of a Content-Type left unfolded on a line of its own, or no Content-Type at all): read as the text it is,
 * so the classifier sees words, not windows-1252 letters; Western text stays windows-1252.
 */
class UndeclaredCharsetTest {

    private static final String CHINESE = "尊敬的客户您好，本公司专业代开各类发票，增值税发票，普通发票，税点优惠，"
            + "欢迎来电咨询。我们的服务诚信可靠，保证真票，可以上网查询验证。联系电话请见附件。";
    private static final String JAPANESE = "いつもお世話になっております。来週の会議の資料をお送りしますので、"
            + "ご確認のほどよろしくお願いいたします。ご不明な点がございましたらお気軽にお問い合わせください。";
    private static final String KOREAN = "안녕하세요. 다음 주 회의 자료를 보내드립니다. 확인 부탁드리며 궁금한 점이 있으시면 "
            + "언제든지 연락 주시기 바랍니다. 감사합니다.";
    private static final String RUSSIAN = "Здравствуйте! Предлагаем вам уникальную возможность заработать большие деньги "
            + "не выходя из дома. Подробности в письме, отвечайте скорее, количество мест ограничено.";

    /** A message whose charset line was not folded into its Content-Type, as many Chinese mailers wrote it. */
    private static MessageView unfoldedCharsetLine(String text, String charset) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("From: sender@example.test\r\nSubject: test\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain;\r\ncharset=\"" + charset + "\"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(text.getBytes(Charset.forName(charset)));
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return MessageViewTest.view(out.toByteArray());
    }

    @Test
    void undeclaredChineseJapaneseKoreanAndRussianTextIsReadAsWritten() throws IOException {
        assertThat(unfoldedCharsetLine(CHINESE, "GB2312").text()).contains(CHINESE);
        assertThat(unfoldedCharsetLine(JAPANESE, "Shift_JIS").text()).contains(JAPANESE);
        assertThat(unfoldedCharsetLine(JAPANESE, "EUC-JP").text()).contains(JAPANESE);
        assertThat(unfoldedCharsetLine(KOREAN, "EUC-KR").text()).contains(KOREAN);
        assertThat(unfoldedCharsetLine(RUSSIAN, "KOI8-R").text()).contains(RUSSIAN);
        assertThat(unfoldedCharsetLine(RUSSIAN, "windows-1251").text()).contains(RUSSIAN);
    }

    @Test
    void theClassifierSeesTheSameWordsDeclaredOrNot() throws IOException {
        MessageView declared = MessageViewTest.view(("From: sender@example.test\r\nSubject: test\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=\"GB2312\"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + CHINESE + "\r\n")
                .getBytes(Charset.forName("GB2312")));
        MessageView undeclared = unfoldedCharsetLine(CHINESE, "GB2312");
        assertThat(Tokenizer.words(undeclared.text(), 1000)).as("the body's words")
                .isNotEmpty().isEqualTo(Tokenizer.words(declared.text(), 1000));
    }

    @Test
    void rawEightBitHeaderTextIsDetectedToo() throws IOException {
        String subject = "代开各类发票，增值税发票，税点优惠";
        byte[] message = ("From: sender@example.test\r\nSubject: " + subject + "\r\n\r\nhello\r\n").getBytes(Charset.forName("GB2312"));
        assertThat(MessageViewTest.view(message).subject()).isEqualTo(subject);
    }

    @Test
    void westernTextAndShortRunsStayWindows1252() throws IOException {
        String german = "Sehr geehrte Damen und Herren, für Ihre Anfrage bezüglich der Bürogeräte danken wir Ihnen. "
                + "Die Lieferung erfolgt nächste Woche, die Rechnung über 250 € liegt bei. Grüße aus Köln, Jürgen Müller";
        assertThat(unfoldedCharsetLine(german, "windows-1252").text()).contains(german);
        String french = "Bonjour, voilà le résumé de la réunion de mercredi : le comité a approuvé le budget, "
                + "les élèves présenteront leurs travaux à la fête de l'école. À bientôt, Hélène";
        assertThat(unfoldedCharsetLine(french, "windows-1252").text()).contains(french);
        assertThat(unfoldedCharsetLine("Grüße, Jürgen", "windows-1252").text()).contains("Grüße, Jürgen");
    }
}
