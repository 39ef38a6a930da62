<?xml version="1.0" encoding="UTF-8"?>
<!--
  Editorial notes: encoded in place, shown as numbered references in the text and as a list at its end, each
  linked to the other. Numbers follow document order over the whole text, notes inside notes included.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="tei">

  <xsl:template match="tei:note">
    <xsl:call-template name="make-note-ref">
      <xsl:with-param name="id"><xsl:call-template name="note-id"/></xsl:with-param>
      <xsl:with-param name="n"><xsl:call-template name="note-number"/></xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="note-number">
    <xsl:number level="any" count="tei:note" from="tei:text"/>
  </xsl:template>

  <!-- A note without an xml:id still needs an anchor for its reference to point to. -->
  <xsl:template name="note-id">
    <xsl:choose>
      <xsl:when test="@xml:id"><xsl:value-of select="@xml:id"/></xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="concat($document-id, '-note-')"/>
        <xsl:call-template name="note-number"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Called once, after the text: the ordered list's numbers are the references' numbers because both
       follow document order. -->
  <xsl:template name="notes-section">
    <xsl:variable name="notes" select="/tei:TEI/tei:text//tei:note"/>
    <xsl:if test="$notes">
      <section class="notes" aria-labelledby="notes-heading">
        <h2 id="notes-heading">Notes</h2>
        <ol>
          <xsl:for-each select="$notes">
            <xsl:variable name="id"><xsl:call-template name="note-id"/></xsl:variable>
            <xsl:call-template name="make-block">
              <xsl:with-param name="element" select="'li'"/>
              <xsl:with-param name="class">
                <xsl:call-template name="modifier-classes">
                  <xsl:with-param name="base" select="'note'"/>
                  <xsl:with-param name="tokens" select="@type"/>
                </xsl:call-template>
              </xsl:with-param>
              <xsl:with-param name="attributes"><x id="{$id}"/></xsl:with-param>
              <xsl:with-param name="after">
                <xsl:call-template name="note-responsibility"/>
                <xsl:text> </xsl:text>
                <a class="note-back" href="#{$id}-ref" aria-label="Back to the text">↩</a>
              </xsl:with-param>
            </xsl:call-template>
          </xsl:for-each>
        </ol>
      </section>
    </xsl:if>
  </xsl:template>

  <!-- A note written by others (e.g. the printed edition's editors) says whose it is, so it is not taken for
       the edition's own. -->
  <xsl:template name="note-responsibility">
    <xsl:variable name="resp" select="substring-after(@resp, '#')"/>
    <xsl:variable name="by" select="/tei:TEI/tei:teiHeader//tei:respStmt[@xml:id = $resp]/tei:name"/>
    <xsl:if test="$resp and $by">
      <xsl:text> </xsl:text>
      <span class="note-resp">(Note by <xsl:value-of select="normalize-space($by)"/>.)</span>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>
