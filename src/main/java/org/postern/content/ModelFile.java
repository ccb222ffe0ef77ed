package org.postern.content;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The classifier's model file. Format version 3, all integers big-endian:
 *
 * <pre>
 * bytes 0-7   magic "PSTNSPAM"
 * int32       format version (3)
 * int32       feature set ({@link FeatureExtractor#FEATURE_SET}): which features the weights belong to
 * int32       hash bits b (16..26): each view has 2^b weights
 * int64       spam messages learned
 * int64       ham messages learned
 * twice       a view, first the words view, then the header view ({@link SpamModel}):
 *   float32     bias
 *   int32       n, the number of non-zero weights stored
 *   n times     varint (LEB128) gap to the previous stored index (the first: the index itself), then the weight
 *               as an IEEE 754 half-precision float (2 bytes): weights of |w| &lt; 1/2^14 are not stored
 * float32     the copies' shift ({@link SpamModel#copyShift}): what a copy kept without its header block adds
 * int32       CRC-32 of every byte before it
 * </pre>
 *
 * Version 2 had no copies' shift and is read with it 0, as it behaved; version 1 (before the header view) had one
 * view and its bias before the counts.
 * A file with another magic, another format version or another feature set is refused with a message saying so:
 * weights of another feature set would classify garbage silently. Saving writes a sibling file and renames it, so a
 * running gateway never reads half a model.
 */
public final class ModelFile {

    static final byte[] MAGIC = "PSTNSPAM".getBytes(StandardCharsets.US_ASCII);
    static final int FORMAT_VERSION = 3;
    /** The oldest format still read: version 2 lacks only the copies' shift. */
    static final int OLDEST_READ = 2;
    static final int MIN_BITS = 16;
    static final int MAX_BITS = 26;
    /** Below this a weight changes no verdict; not storing it keeps the shipped model small. */
    static final float SMALLEST_STORED = 1f / (1 << 14);

    private ModelFile() {
    }

    static void write(SpamModel model, OutputStream target) throws IOException {
        CheckedOutputStream checked = new CheckedOutputStream(new BufferedOutputStream(target, 1 << 16), new CRC32());
        DataOutputStream out = new DataOutputStream(checked);
        out.write(MAGIC);
        out.writeInt(FORMAT_VERSION);
        out.writeInt(FeatureExtractor.FEATURE_SET);
        out.writeInt(model.bits);
        out.writeLong(model.spamLearned);
        out.writeLong(model.hamLearned);
        writeView(model.words, out);
        writeView(model.header, out);
        out.writeFloat(model.copyShift);
        out.writeInt((int) checked.getChecksum().getValue());
        out.flush();
    }

    static SpamModel read(InputStream source) throws IOException {
        CheckedInputStream checked = new CheckedInputStream(new BufferedInputStream(source, 1 << 16), new CRC32());
        DataInputStream in = new DataInputStream(checked);
        try {
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) throw new ModelFormatException("not a Postern spam model (wrong magic)");
            int version = in.readInt();
            if (version > FORMAT_VERSION) {
                throw new ModelFormatException("model format version " + version + " is newer than this Postern reads ("
                        + FORMAT_VERSION + "): upgrade Postern or retrain");
            }
            if (version < OLDEST_READ) {
                throw new ModelFormatException("model format version " + version + " is from an older Postern (before the "
                        + "header view): retrain it with ./postern train");
            }
            int featureSet = in.readInt();
            if (featureSet != FeatureExtractor.FEATURE_SET) {
                throw new ModelFormatException("model was trained on feature set " + featureSet + ", this Postern extracts "
                        + "feature set " + FeatureExtractor.FEATURE_SET + ": retrain it with ./postern train");
            }
            int bits = in.readInt();
            if (bits < MIN_BITS || bits > MAX_BITS) throw new ModelFormatException("hash bits " + bits + " out of range");
            SpamModel model = new SpamModel(bits);
            model.spamLearned = in.readLong();
            model.hamLearned = in.readLong();
            readView(model.words, in);
            readView(model.header, in);
            if (version >= 3) model.copyShift = in.readFloat();
            if (!Float.isFinite(model.copyShift)) throw new ModelFormatException("copies' shift " + model.copyShift + " is not a number");
            int expected = (int) checked.getChecksum().getValue();
            if (in.readInt() != expected) throw new ModelFormatException("model file is damaged (checksum mismatch)");
            return model;
        } catch (EOFException e) {
            throw new ModelFormatException("model file is truncated");
        }
    }

    static SpamModel load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        } catch (ModelFormatException e) {
            throw new ModelFormatException(file + ": " + e.getMessage());
        }
    }

    /** Writes next to the target and renames, so readers see the old model or the new one, never a half. */
    static void save(SpamModel model, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(temp)) {
                write(model, out);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void writeView(SpamModel.View view, DataOutputStream out) throws IOException {
        out.writeFloat(view.bias);
        int stored = 0;
        for (float w : view.weights) if (Math.abs(w) >= SMALLEST_STORED) stored++;
        out.writeInt(stored);
        int previous = 0;
        for (int i = 0; i < view.weights.length; i++) {
            float w = view.weights[i];
            if (Math.abs(w) < SMALLEST_STORED) continue;
            writeVarint(out, i - previous);
            out.writeShort(Float.floatToFloat16(w));
            previous = i;
        }
    }

    private static void readView(SpamModel.View view, DataInputStream in) throws IOException {
        view.bias = in.readFloat();
        int stored = in.readInt();
        if (stored < 0 || stored > view.weights.length) throw new ModelFormatException("bad weight count " + stored);
        long index = 0;
        for (int k = 0; k < stored; k++) {
            index += readVarint(in);
            if (index >= view.weights.length || (k > 0 && index == 0)) throw new ModelFormatException("bad weight index");
            view.weights[(int) index] = Float.float16ToFloat(in.readShort());
        }
    }

    private static void writeVarint(DataOutputStream out, int value) throws IOException {
        while ((value & ~0x7f) != 0) {
            out.writeByte((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out.writeByte(value);
    }

    private static long readVarint(DataInputStream in) throws IOException {
        long value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = in.readUnsignedByte();
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw new ModelFormatException("bad varint in model file");
    }

    /** A model file that is not one this Postern can use; the message says why and what to do. */
    public static final class ModelFormatException extends IOException {
        public ModelFormatException(String message) {
            super(message);
        }
    }
}
