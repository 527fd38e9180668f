namespace Bookshelf.Core;

/// <summary>The shelf a book is filed under.</summary>
public enum Genre
{
    /// <summary>Novels and short stories.</summary>
    Fiction,

    /// <summary>Fiction built on the fantastic told as ordinary (García Márquez, Bulgakov).</summary>
    MagicalRealism,

    /// <summary>Science fiction and fantasy.</summary>
    Speculative,

    /// <summary>History, biography and essays.</summary>
    NonFiction,

    /// <summary>Books for children and young readers.</summary>
    Children,

    /// <summary>Poetry and drama.</summary>
    Poetry,
}
