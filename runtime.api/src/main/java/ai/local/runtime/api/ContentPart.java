package ai.local.runtime.api;

/**
 * One part of a message's content.
 *
 * @param type {@link #TEXT}, {@link #IMAGE_URL} or {@link #INPUT_AUDIO}
 * @param text the text of a text part
 * @param url an image URL or data: URL of an image part
 * @param detail image detail (auto, low, high) or audio format
 */
public record ContentPart(String type, String text, String url, String detail) {

	public static final String TEXT = "text";
	public static final String IMAGE_URL = "image_url";
	public static final String INPUT_AUDIO = "input_audio";

	public static ContentPart text(String text) {
		return new ContentPart(TEXT, text, null, null);
	}

	public static ContentPart image(String url, String detail) {
		return new ContentPart(IMAGE_URL, null, url, detail);
	}
}
