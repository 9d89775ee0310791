package ai.local.runtime.chat.template;

/**
 * A template that cannot be compiled or that fails while rendering: a syntax error, an undefined value used
 * where a value is needed, a type error, or the template's own {@code raise_exception(message)} (then
 * {@link #raisedByTemplate()} is true and the message is the template's).
 */
public final class TemplateException extends RuntimeException {
	private static final long serialVersionUID = 1L;
	private final boolean raisedByTemplate;

	public TemplateException(String message, boolean raisedByTemplate) {
		super(message);
		this.raisedByTemplate = raisedByTemplate;
	}

	public TemplateException(String message) {
		this(message, false);
	}

	public boolean raisedByTemplate() {
		return raisedByTemplate;
	}
}
